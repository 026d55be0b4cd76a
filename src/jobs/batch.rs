//! Serving many running jobs' small requests together. Each job asks for
//! one thing (its call's story, one small write); a `Batcher` serves every
//! request waiting when it gets to them in one database round (one query
//! per table for reads, one transaction for writes), then the next lot.
//! Nothing waits for a timer: a lone request is served at once, and under
//! load the lots grow by themselves while the previous one is served, so
//! the database's work per job falls as the queue grows.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use super::handlers::JobError;
use crate::db::{self, DbConnection, DbPool, write_transaction};

/// Serves a lot of requests: one response per request, in their order.
pub trait Serve: Send + Sync + 'static {
    type Request: Send + 'static;
    type Response: Send + 'static;

    fn serve(
        &self,
        requests: Vec<Self::Request>,
    ) -> impl Future<Output = Vec<Self::Response>> + Send;
}

type Waiting<S> = (
    <S as Serve>::Request,
    oneshot::Sender<<S as Serve>::Response>,
);

/// Why a request got no response: the lot it was in panicked, or the
/// batcher stopped.
#[derive(Debug, thiserror::Error)]
#[error("the batch serving this request failed")]
pub struct Unserved;

/// Coalesces requests to `S`, at most `max` to a lot. The serving task is
/// started on first use and ends when the batcher is dropped.
pub struct Batcher<S: Serve> {
    server: Arc<S>,
    max: usize,
    queue: OnceLock<mpsc::UnboundedSender<Waiting<S>>>,
}

impl<S: Serve> Batcher<S> {
    pub fn new(server: S, max: usize) -> Batcher<S> {
        Batcher {
            server: Arc::new(server),
            max: max.max(1),
            queue: OnceLock::new(),
        }
    }

    /// Queues `request` and waits for its lot to be served.
    pub async fn call(&self, request: S::Request) -> Result<S::Response, Unserved> {
        let (reply, response) = oneshot::channel();
        self.queue().send((request, reply)).map_err(|_| Unserved)?;
        response.await.map_err(|_| Unserved)
    }

    fn queue(&self) -> &mpsc::UnboundedSender<Waiting<S>> {
        self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            tokio::spawn(serve_lots(self.server.clone(), self.max, receiver));
            sender
        })
    }
}

/// Takes whatever is waiting (up to `max`), serves it, replies, repeats. A
/// lot is served in its own task, so one that panics fails only its own
/// requests.
async fn serve_lots<S: Serve>(
    server: Arc<S>,
    max: usize,
    mut queue: mpsc::UnboundedReceiver<Waiting<S>>,
) {
    let mut lot = Vec::with_capacity(max);
    while queue.recv_many(&mut lot, max).await > 0 {
        let (requests, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut lot).into_iter().unzip();
        let server = server.clone();
        let served = tokio::spawn(async move { server.serve(requests).await }).await;
        match served {
            Ok(responses) => {
                for (reply, response) in replies.into_iter().zip(responses) {
                    // The job may have been stopped meanwhile; nobody to tell.
                    let _ = reply.send(response);
                }
            }
            Err(err) => tracing::error!(error = %err, "a batch of job requests failed"),
        }
    }
}

/// One small write a job asks for. It is run in its lot's transaction, and
/// again in one of its own if another write of the lot failed, so it must
/// be a function of what it captured only.
pub type Write = Box<dyn Fn(&mut DbConnection) -> Result<(), JobError> + Send + Sync>;

/// Commits the running jobs' small writes together: one transaction (one
/// commit, and on SQLite one turn as the writer) for a whole lot.
pub struct WriteGroup {
    pub pool: DbPool,
}

impl Serve for WriteGroup {
    type Request = Write;
    type Response = Result<(), JobError>;

    async fn serve(&self, writes: Vec<Write>) -> Vec<Result<(), JobError>> {
        let count = writes.len();
        let written = db::run_write(&self.pool, move |conn| {
            let together =
                write_transaction(conn, |conn| writes.iter().try_for_each(|write| write(conn)));
            Ok::<_, JobError>(match together {
                Ok(()) => writes.iter().map(|_| Ok(())).collect(),
                Err(err) if writes.len() == 1 => vec![Err(err)],
                // One write failed and took the lot's transaction with it:
                // each again on its own, so only that one's job fails.
                Err(_) => writes
                    .iter()
                    .map(|write| write_transaction(conn, |conn| write(conn)))
                    .collect(),
            })
        })
        .await;
        written.unwrap_or_else(|err| {
            let reason = format!("{err:#}");
            (0..count)
                .map(|_| Err(JobError::Retry(anyhow::anyhow!(reason.clone()))))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Doubles numbers, remembering the size of each lot; panics on 13.
    #[derive(Default)]
    struct Doubler {
        lots: Mutex<Vec<usize>>,
    }

    impl Serve for Doubler {
        type Request = u32;
        type Response = u32;

        async fn serve(&self, requests: Vec<u32>) -> Vec<u32> {
            self.lots.lock().unwrap().push(requests.len());
            assert!(!requests.contains(&13), "unlucky");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            requests.into_iter().map(|n| n * 2).collect()
        }
    }

    #[tokio::test]
    async fn requests_that_wait_together_are_served_in_one_lot_and_each_gets_its_own_answer() {
        let batcher = Arc::new(Batcher::new(Doubler::default(), 8));
        assert_eq!(batcher.call(1).await.unwrap(), 2, "a lone request at once");
        let calls: Vec<_> = (20..40)
            .map(|n| {
                let batcher = batcher.clone();
                tokio::spawn(async move { (n, batcher.call(n).await.unwrap()) })
            })
            .collect();
        for call in calls {
            let (n, doubled) = call.await.unwrap();
            assert_eq!(doubled, n * 2);
        }
        let lots = batcher.server.lots.lock().unwrap().clone();
        assert_eq!(lots.iter().sum::<usize>(), 21);
        assert!(lots.iter().all(|&n| n <= 8), "{lots:?}");
        assert!(lots.len() <= 5, "20 waiting requests took {lots:?}");
    }

    /// Writes a setting; `key` "bad" writes to a table that does not exist.
    fn set(key: &'static str) -> Write {
        use crate::schema::settings;
        use diesel::prelude::*;
        Box::new(move |conn| {
            if key == "bad" {
                diesel::sql_query("INSERT INTO no_such_table VALUES (1)").execute(conn)?;
            }
            diesel::insert_into(settings::table)
                .values((
                    settings::key.eq(key),
                    settings::value.eq("1"),
                    settings::updated_at.eq(crate::clock::now()),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    #[tokio::test]
    async fn writes_commit_together_and_a_failing_one_fails_alone() {
        use crate::schema::settings;
        use diesel::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let url = crate::db::DatabaseUrl::parse(&format!(
            "sqlite://{}",
            dir.path().join("w.db").display()
        ))
        .unwrap();
        let (pool, _) = crate::db::connect_pool(&url, 2, Default::default()).unwrap();
        let group = WriteGroup { pool: pool.clone() };

        let results = group.serve(vec![set("one"), set("bad"), set("two")]).await;
        assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
        assert!(matches!(results[1], Err(JobError::Retry(_))), "{results:?}");
        let results = group.serve(vec![set("three"), set("four")]).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");

        let mut keys: Vec<String> = crate::db::run(&pool, |conn| {
            Ok::<_, crate::db::DbError>(settings::table.select(settings::key).load(conn)?)
        })
        .await
        .unwrap();
        keys.retain(|k| ["one", "two", "three", "four", "bad"].contains(&k.as_str()));
        keys.sort();
        assert_eq!(keys, ["four", "one", "three", "two"]);
    }

    #[tokio::test]
    async fn a_lot_that_panics_fails_only_its_own_requests() {
        let batcher = Batcher::new(Doubler::default(), 8);
        assert!(batcher.call(13).await.is_err());
        assert_eq!(
            batcher.call(4).await.unwrap(),
            8,
            "the batcher still serves"
        );
    }
}
