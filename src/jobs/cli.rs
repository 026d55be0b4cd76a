//! `frontdesk jobs` and `frontdesk jobs retry`.

use anyhow::bail;

use super::operator::{self, FailedJob, Retried};
use crate::audit::Change;
use crate::config::Config;
use crate::ids::JobId;
use crate::server::open_database;

/// Failed jobs listed at most; the total is printed too.
const LIST_AT_MOST: i64 = 50;

/// Prints the jobs by kind and status, then the failed jobs with their errors.
pub fn show(config: &Config) -> anyhow::Result<()> {
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    let counts = operator::counts(&mut conn)?;
    let (failed, total) = operator::failed(&mut conn, LIST_AT_MOST)?;
    println!("{:<20} {:<8} {:>8}", "KIND", "STATUS", "JOBS");
    for row in &counts {
        println!("{:<20} {:<8} {:>8}", row.kind, row.status, row.count);
    }
    if total == 0 {
        println!("\nno failed jobs");
        return Ok(());
    }
    println!("\nfailed jobs ({total}; dead first, newest first):");
    for job in &failed {
        print_failed(job);
    }
    if total > LIST_AT_MOST {
        println!("... and {} more", total - LIST_AT_MOST);
    }
    Ok(())
}

fn print_failed(job: &FailedJob) {
    let next = match job.status.as_str() {
        "dead" => "never (dead)".to_owned(),
        _ => format!(
            "{} UTC (gives up {} UTC)",
            job.run_at.format("%F %T"),
            job.give_up_at.format("%F %T")
        ),
    };
    println!(
        "#{} {} {} status={} attempts={} next run: {}\n    last error: {}",
        job.id,
        job.kind,
        job.unique_key.as_deref().unwrap_or("-"),
        job.status,
        job.attempts,
        next,
        job.last_error.as_deref().unwrap_or("-"),
    );
}

/// Requeues job `id`, or every dead job, and says what was done.
pub fn retry(config: &Config, id: Option<JobId>, dead: bool) -> anyhow::Result<()> {
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    let now = crate::clock::now();
    match (id, dead) {
        (Some(id), false) => {
            let retried =
                operator::retry_recorded(&mut conn, id, now, &Change::from_command_line())?;
            println!("{}", retried.explain(id));
            if retried != Retried::Requeued {
                bail!("job {id} was not requeued");
            }
        }
        (None, true) => {
            let results =
                operator::retry_dead_recorded(&mut conn, now, &Change::from_command_line())?;
            for (id, retried) in &results {
                println!("{}", retried.explain(*id));
            }
            let requeued = results
                .iter()
                .filter(|(_, r)| *r == Retried::Requeued)
                .count();
            println!("requeued {requeued} of {} dead job(s)", results.len());
        }
        _ => bail!("name one job id or --dead"),
    }
    Ok(())
}
