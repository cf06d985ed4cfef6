/**
 * Backup schedules: the shared default is written in AWS's cron form (`cron(0 3 * * ? *)`); clouds
 * that take a five-field Unix cron convert it here. Pure.
 */

/** A five-field Unix cron (minute hour day-of-month month day-of-week), as Backup for GKE takes. */
export const UNIX_CRON = /^\S+( \S+){4}$/;
/** The AWS form the shared default uses, `cron(0 3 * * ? *)`; the GCP backend converts it. */
export const AWS_CRON = /^cron\((\S+( \S+){5})\)$/;

const AWS_WEEKDAYS = /^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/;

/**
 * The schedule as the five-field Unix cron Backup for GKE takes, or why it cannot be one. A Unix
 * cron passes unchanged; the AWS form of the shared default (`cron(0 3 * * ? *)`) is converted:
 * the year must be `*`, `?` becomes `*`, numeric weekdays move from 1-7 (Sunday = 1) to 0-6. `L`,
 * `W` and `#` have no Unix equivalent.
 */
export function convertCron(schedule: string): { cron: string } | { error: string } {
  if (UNIX_CRON.test(schedule) && !schedule.startsWith("cron(")) return { cron: schedule };
  const aws = AWS_CRON.exec(schedule);
  if (!aws) return { error: 'must be a five-field cron expression, e.g. "0 3 * * *"' };
  const [minute, hour, day, month, weekday, year] = aws[1].split(" ");
  if (year !== "*")
    return { error: "a year field cannot be expressed in Backup for GKE's cron; use *" };
  if (/[LW#]/.test(`${day} ${weekday}`))
    return { error: "L, W and # have no equivalent in a Unix cron" };
  const unset = (field: string) => (field === "?" ? "*" : field);
  let dow = unset(weekday);
  if (AWS_WEEKDAYS.test(dow)) dow = dow.replace(/[1-7]/g, (d) => String(Number(d) - 1));
  return { cron: [minute, hour, unset(day), month, dow].join(" ") };
}
