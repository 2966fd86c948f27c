import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../../errors.js';
import { prepareEvents } from '../../data/prepareEvents.js';
import { writePanel } from '../../data/writePanel.js';
import { formatPanelSummary, summarizePanel } from '../../data/summarizePanel.js';
import { parseMaxErrors } from './validate.js';
import { intOption } from '../options.js';

const HELP = `
Turns a tweet-level event log into a panel CSV (one row per customer per period).

Event log columns: customer, timestamp, author, label (other columns are ignored).
  timestamp  ISO 8601 (UTC unless an offset such as +02:00 is given) or epoch seconds (before
             the year 3000: epoch milliseconds are refused)
  author     customer (the customer tweeted) or firm (the firm addressed the customer)
  label      complaint, compliment or neutral on customer tweets; ignored on firm tweets
Rows may be in any order. Bad rows are listed (file, line, column, value) and nothing is written.

Periods: day = UTC calendar day; week = Monday 00:00 UTC to the next Monday; Nh = blocks of N
hours from 00:00 UTC. With --start, periods are counted from that instant instead.
Window: events before --start or at/after --end are left out (with a warning). --start and --end
take the extended ISO form (2024-03-01, 2024-03-01T06:00Z) or @EPOCH-SECONDS; bare digits such as
20240301 are refused as ambiguous.
Size: a panel larger than 1,000,000 rows and 50 rows per event is refused (a far-off timestamp or a
too-short --period); --max-rows raises the limit. Each customer's rows
run from the period of their first own tweet (or from --start, for everyone) to a common last
period (the one containing the end of the window, else the latest event); period 1 is the
customer's first row. A customer appears when they tweeted at least once in the window.

Output columns: customer, period, voice, intervention, n_complaint, n_compliment, n_neutral, n_firm
[, friends_complaints, friends_compliments], period_hours.
  voice         silent when the customer did not tweet in the period; otherwise, with several
                tweets, the label that comes first in --rule (default complaint,compliment,neutral)
  intervention  1 when the firm addressed the customer in the period (n_firm > 0)
  --friends     EDGES.csv with columns follower, followee: friends_complaints/compliments count the
                complaint/compliment tweets, in the same calendar period, of the customers the
                customer follows
  period_hours  the period length in hours (24 for day, 168 for week), the same on every row:
                squeaky fit records it, and the effects report states its horizons in days or weeks

Example:
  squeaky prepare data/example-events.csv --period week --out panel.csv --friends data/example-follows.csv
  squeaky prepare tweets.csv --period 12h --start 2024-01-01 --end 2024-07-01 --out panel.csv
`;

interface PrepareFlags {
  period: string;
  out: string;
  start?: string;
  end?: string;
  rule?: string;
  friends?: string;
  maxErrors: string;
  maxRows?: string;
}

export function prepareCommand(io: CliIO): Command {
  return new Command('prepare')
    .description('turn a tweet-level event log into a panel CSV (one row per customer per period)')
    .argument('<events>', 'event log CSV (customer, timestamp, author, label)')
    .requiredOption('--period <p>', 'period length: day, week or Nh (e.g. 6h)')
    .requiredOption('--out <file>', 'panel CSV to write (written whole or not at all)')
    .option('--start <time>', 'window start, inclusive (ISO 8601 such as 2024-03-01, or epoch seconds as @1709251200); period 1 for every customer')
    .option('--end <time>', 'window end, exclusive (ISO 8601, or epoch seconds as @1709251200)')
    .option('--rule <list>', 'priority of labels when a customer tweets several times in a period', 'complaint,compliment,neutral')
    .option('--friends <edges>', 'follower-edge CSV (follower, followee): adds friends_complaints, friends_compliments')
    .option('--max-errors <n>', 'list at most this many problems', '20')
    .option('--max-rows <n>', 'largest panel accepted, in rows (default: 1,000,000 or 50 rows per event, whichever is larger)')
    .addHelpText('after', HELP)
    .action(async (events: string, flags: PrepareFlags) => {
      if (flags.out.trim() === '') throw new UsageError('--out: expected a file name');
      const { panel, warnings } = await prepareEvents(events, {
        period: flags.period,
        start: flags.start,
        end: flags.end,
        rule: flags.rule?.split(','),
        friends: flags.friends,
        maxErrors: parseMaxErrors(flags.maxErrors),
        maxRows: intOption('--max-rows', flags.maxRows, 1),
      });
      for (const w of warnings) io.err(`squeaky: warning: ${w}\n`);
      await writePanel(panel, flags.out, '--out');
      io.out(`wrote ${flags.out}\n` + formatPanelSummary(summarizePanel(panel)));
    });
}
