"""Replay a queue's event log and print the wait estimate each arrival would have been shown.

    majlis eta_replay EVENTS.csv        (or - for standard input)

Input: CSV with the header `time,event,ticket,value`; `time` in seconds from the log's start,
`event` one of arrive, start, finish, abandon, agents; `ticket` an id (empty for agents);
`value` the agents on duty from then on (agents only). Events in time order; equal times are
applied in file order.

Output, on standard output and nothing else: `ticket,predicted_wait_seconds`, one row per
arrival in input order. The prediction is empty when no agent was on duty at that moment.
Warnings go to standard error. No database is used: the replay is pure Python
(majlis/queueing/eta.py), which is also what the waiting page uses.
"""

import csv
import io
import math
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from majlis.queueing.eta import EVENTS, ReplayError, ReplayPredictor

HEADER = ["time", "event", "ticket", "value"]


class Command(BaseCommand):
    help = "Replay a queue event log (CSV) and print the wait estimate given at each arrival."
    # Nothing here depends on the project's checks, and they must not reach for a database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("events", help="CSV file with time,event,ticket,value; - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["events"]
        if path == "-":
            output, ignored = self.replay(sys.stdin, name="<stdin>")
        else:
            try:
                with open(path, encoding="utf-8", newline="") as source:
                    output, ignored = self.replay(source, name=path)
            except OSError as error:
                raise CommandError(f"{path}: cannot read: {error.strerror or error}") from error
        if ignored:
            self.stderr.write(
                f"{ignored} event(s) did not match the queue state (e.g. a start for a ticket "
                "that never arrived) and were skipped."
            )
        # Written only once the whole log is read, so a bad line leaves stdout empty.
        self.stdout.write(output, ending="")

    def replay(self, source: TextIO, *, name: str) -> tuple[str, int]:
        reader = csv.reader(source)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["ticket", "predicted_wait_seconds"])
        predictor = ReplayPredictor()
        unknown_time = 0
        try:
            header = next(reader, None)
            if header is None or [h.strip() for h in header] != HEADER:
                raise CommandError(
                    f"{name}, line 1: the header must be {','.join(HEADER)}; found "
                    f"{','.join(header) if header else 'an empty file'}"
                )
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                time, event, ticket, value = self.parse(row, name=name, line=line)
                try:
                    estimate = predictor.feed(time, event, ticket, value)
                except ReplayError as error:
                    raise CommandError(f"{name}, line {line}: {error}") from error
                if event == "arrive":
                    if estimate is None or math.isinf(estimate):
                        unknown_time += 1
                        writer.writerow([ticket, ""])
                    else:
                        writer.writerow([ticket, f"{estimate:.1f}"])
        except csv.Error as error:
            raise CommandError(f"{name}, line {reader.line_num}: malformed CSV: {error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{name}: not UTF-8 text: {error}") from error
        if unknown_time:
            self.stderr.write(
                f"{unknown_time} arrival(s) came with no agent on duty: their prediction is empty."
            )
        return out.getvalue(), predictor.ignored

    def parse(self, row: list[str], *, name: str, line: int) -> tuple[float, str, str, int]:
        where = f"{name}, line {line}"
        if len(row) != len(HEADER):
            raise CommandError(
                f"{where}: expected 4 fields (time,event,ticket,value), got {len(row)}"
            )
        raw_time, event, ticket, raw_value = (field.strip() for field in row)
        try:
            time = float(raw_time)
        except ValueError:
            raise CommandError(f"{where}: time {raw_time!r} is not a number") from None
        if not math.isfinite(time):
            raise CommandError(f"{where}: time {raw_time!r} is not a finite number")
        if event not in EVENTS:
            raise CommandError(
                f"{where}: unknown event {event!r}; expected one of {', '.join(EVENTS)}"
            )
        value = 0
        if event == "agents":
            try:
                value = int(raw_value)
            except ValueError:
                raise CommandError(
                    f"{where}: agents needs a whole number of agents in value, got {raw_value!r}"
                ) from None
            if value < 0:
                raise CommandError(f"{where}: agents on duty cannot be negative ({value})")
        elif not ticket:
            raise CommandError(f"{where}: {event} needs a ticket")
        return time, event, ticket, value
