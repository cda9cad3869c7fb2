"""Stored-XSS payloads (QUALITY S8): about 200 strings for every free-text field.

Each payload, if a page ever ran it, calls `__xss(<its number>)`; the browser test defines that
function before any page script and collects the numbers. The corpus mixes the classic vectors
(script tags, event handlers, `javascript:` links, attribute and tag break-outs, SVG and MathML,
entity and case tricks) with what our users type: Arabic around them and the bidi controls
(U+202E, U+2066–U+2069) that can hide a payload's real order on screen.
"""

# Templates: `{n}` is the payload's number, `{call}` the call that reports it.
_TEMPLATES = (
    "<script>{call}</script>",
    "<SCRIPT>{call}</SCRIPT>",
    "<script src=data:text/javascript,{call}></script>",
    "<img src=x onerror={call}>",
    '<img src=x onerror="{call}">',
    "<IMG SRC=x ONERROR='{call}'>",
    "<svg onload={call}>",
    "<svg><script>{call}</script></svg>",
    "<svg><animate onbegin={call} attributeName=x dur=1s>",
    "<math><mtext><img src=x onerror={call}></mtext></math>",
    "<body onload={call}>",
    '<iframe srcdoc="<script>parent.{call}</script>"></iframe>',
    '<iframe src="javascript:parent.{call}"></iframe>',
    '<a href="javascript:{call}" id=xss{n}>link</a>',
    '<a href="JaVaScRiPt:{call}">x</a>',
    "<details open ontoggle={call}>",
    "<input autofocus onfocus={call}>",
    "<select autofocus onfocus={call}></select>",
    "<textarea autofocus onfocus={call}></textarea>",
    "<video><source onerror={call}></video>",
    "<audio src=x onerror={call}>",
    '<object data="javascript:{call}"></object>',
    '<embed src="javascript:{call}">',
    "<form><button formaction=javascript:{call}>x</button></form>",
    '"><script>{call}</script>',
    "'><img src=x onerror={call}>",
    '" onmouseover="{call}" x="',
    "' autofocus onfocus='{call}' x='",
    "</textarea><script>{call}</script>",
    "</title><script>{call}</script>",
    "</style><script>{call}</script>",
    "</script><script>{call}</script>",
    "<!--<img src=x onerror={call}>-->",
    "<![CDATA[<script>{call}</script>]]>",
    "<style>@import 'javascript:{call}';</style>",
    '<div style="background:url(javascript:{call})">x</div>',
    '<meta http-equiv=refresh content="0;url=javascript:{call}">',
    '<base href="javascript:{call}//">',
    '<link rel=import href="data:text/html,<script>{call}</script>">',
    "{{{{constructor.constructor('{call}')()}}}}",
    "${{{call}}}",
    "&lt;script&gt;{call}&lt;/script&gt;",
    "&#60;script&#62;{call}&#60;/script&#62;",
    "<scr<script>ipt>{call}</scr</script>ipt>",
    '<img src="x" onerror="&#x5f;_xss({n})">',
    "نص عربي <script>{call}</script> نهاية",
    "\u202e<img src=x onerror={call}>\u202c",
    "\u2066<svg onload={call}>\u2069",
    'مرافق \u2067"><script>{call}</script>\u2069',
    "\u202e<a href=javascript:{call}>ملف.pdf</a>",
)


def payloads(count: int = 200) -> list[str]:
    """`count` payloads, numbered 0..count-1 in what they report."""
    found: list[str] = []
    n = 0
    while len(found) < count:
        template = _TEMPLATES[n % len(_TEMPLATES)]
        call = f"__xss({n})"
        found.append(template.format(n=n, call=call))
        n += 1
    return found
