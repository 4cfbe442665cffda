//! The writer side of [`Db`](super::Db): SQLite's one writer connection, held by the process, or
//! PostgreSQL's writers' pool.
//!
//! SQLite's writer is not a pool of one: a pool hands a released connection on through a spawned
//! task that first pings the connection's thread, and during that round trip no other write can
//! start. Every booking and every outbox record pays it, one after the other, under the lock. Here
//! writers queue on a fair mutex (first come, first served) for the connection itself, and a
//! finished write hands it straight to the next.
//!
//! **Group commit (SQLite).** A write that finishes while another waits does not COMMIT: it
//! releases its work into the open transaction, hands the connection to the next write (which
//! runs inside a SAVEPOINT of that transaction) and waits. The last write of the batch (nobody
//! waiting, or [`MAX_BATCH`] reached) COMMITs once for all, and only then does each member's
//! `commit()` return: a write is acknowledged only once it is durable, as before, but a burst of
//! writes pays one COMMIT (one WAL append of the pages they share) instead of one each. A write
//! that fails rolls back to its own savepoint; the others' work stays. A COMMIT that fails fails
//! every member. Every step that ends a write runs in a task of its own that owns the connection,
//! so a cancelled request can never leave the shared transaction half-ended.

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures_core::stream::BoxStream;
use futures_core::Stream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Database, Describe, Either, Execute, Executor, TransactionManager};
use tokio::sync::{oneshot, Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

use super::executor::BoxFuture;
use super::{Backend, Conn};

/// How long a write waits for the writer connection before giving up ([`super::is_busy`]).
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Most writes one COMMIT acknowledges: bounds how long the first of them waits.
pub const MAX_BATCH: usize = 16;

/// A batch is handed on no more once its first member has waited this long: a slow write that
/// joined can delay the others' acknowledgement only by its own length.
const MAX_BATCH_AGE: std::time::Duration = std::time::Duration::from_millis(5);

/// A member that handed the connection on waits this long for the batch's COMMIT before making
/// it itself: the write it handed on to may have been cancelled while queued, leaving nobody to.
const FLUSH_AFTER: std::time::Duration = std::time::Duration::from_millis(50);

pub(super) type Transactions = <Any as Database>::TransactionManager;

/// Where writes go: `&Writer` is a sqlx executor (one statement, no write lock: see
/// [`Db::writer`](super::Db::writer)), [`Writer::acquire`] lends the connection.
#[derive(Debug, Clone)]
pub struct Writer(Kind);

#[derive(Debug, Clone)]
enum Kind {
    Sqlite(Arc<Held>),
    Postgres(AnyPool),
}

/// SQLite's writer connection (`None` once closed), and how many writes queue for it.
#[derive(Debug)]
struct Held {
    slot: Arc<Mutex<Option<Slot>>>,
    waiting: AtomicUsize,
    /// COMMITs made on the held connection (each acknowledges one or more writes).
    commits: AtomicUsize,
}

/// The connection, and the writes whose work is in its open transaction, waiting for its COMMIT
/// (non-empty only while that transaction is open).
#[derive(Debug)]
struct Slot {
    conn: Conn,
    batch: Vec<oneshot::Sender<Told>>,
    /// When the batch's first member joined it.
    since: Option<std::time::Instant>,
}

type Guard = OwnedMappedMutexGuard<Option<Slot>, Slot>;

/// Counts a write as queued while it exists (also when the wait is cancelled).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Held {
    /// The connection, once the writes queued before this one are done.
    async fn lock(&self) -> sqlx::Result<Guard> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) > 0 {
            crate::busy_poll::demand();
        }
        let queued = Queued(&self.waiting);
        // As the pool it replaces: a writer stuck past this is a 503 for the ones behind.
        let guard = tokio::time::timeout(ACQUIRE_TIMEOUT, self.slot.clone().lock_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?;
        drop(queued);
        OwnedMutexGuard::try_map(guard, Option::as_mut).map_err(|_| sqlx::Error::PoolClosed)
    }

    /// The connection outside any transaction: an open batch is committed first, and a write
    /// dropped between its BEGIN and its `WriteTx` (a cancelled request), which left the
    /// transaction and SQLite's write lock open, is ended.
    async fn lock_alone(&self) -> sqlx::Result<Guard> {
        let mut slot = self.lock().await?;
        settle(&mut slot, &self.commits).await?;
        Ok(slot)
    }
}

/// What a member is told of the COMMIT that included it.
type Told = Result<(), Failure>;

/// Why a write was not committed; `busy` keeps [`super::is_busy`]'s answer (a 503, not a 500).
#[derive(Debug, Clone)]
struct Failure {
    busy: bool,
    reason: String,
}

impl Failure {
    fn of(error: &sqlx::Error) -> Failure {
        Failure {
            busy: super::is_busy(error),
            reason: error.to_string(),
        }
    }

    fn new(reason: &str) -> Failure {
        Failure {
            busy: false,
            reason: reason.to_owned(),
        }
    }
}

/// Commits the open batch (telling its members), or rolls back a transaction nobody owns. `Ok`
/// only with the connection outside any transaction.
async fn settle(slot: &mut Slot, commits: &AtomicUsize) -> sqlx::Result<()> {
    if !slot.batch.is_empty() {
        // Its members are told; a failed COMMIT is rolled back, and the connection checked below.
        let _ = commit_batch(slot, commits, None).await;
    } else if Transactions::get_transaction_depth(&slot.conn) > 0 {
        // Nobody else's work is in it: the batch is empty.
        Transactions::rollback(&mut slot.conn).await?;
    }
    match Transactions::get_transaction_depth(&slot.conn) {
        0 => Ok(()),
        depth => Err(batch_failed(Failure::new(&format!(
            "the writer connection is still {depth} transaction(s) deep"
        )))),
    }
}

/// COMMITs the open transaction (counted in `commits`) and tells each member (and `last`, the
/// write that commits) how it went. A failed COMMIT is rolled back at once, while the connection
/// is still held. Cancelled midway, the members are still in `slot.batch`: the next holder finds
/// the transaction ended (depth 0: the COMMIT landed) and tells them.
async fn commit_batch(
    slot: &mut Slot,
    commits: &AtomicUsize,
    last: Option<oneshot::Sender<Told>>,
) -> Told {
    let done = match Transactions::get_transaction_depth(&slot.conn) {
        0 => Ok(()),
        1 => {
            commits.fetch_add(1, Ordering::Relaxed);
            Transactions::commit(&mut slot.conn)
                .await
                .map_err(|e| Failure::of(&e))
        }
        // A savepoint left open: COMMIT would only RELEASE it. Nothing of this batch is kept.
        depth => Err(Failure::new(&format!(
            "the writer connection was {depth} transactions deep at COMMIT"
        ))),
    };
    match &done {
        Ok(()) => {
            slot.since = None;
            for member in slot.batch.drain(..).chain(last) {
                let _ = member.send(Ok(()));
            }
        }
        Err(failure) => fail_batch(slot, failure, last).await,
    }
    done
}

/// Rolls the whole transaction back, every member's work with it, while the connection is still
/// held, and tells each member (and `last`) `failure`.
async fn fail_batch(slot: &mut Slot, failure: &Failure, last: Option<oneshot::Sender<Told>>) {
    tracing::error!(error = %failure.reason, members = slot.batch.len() + 1, "a batch of writes failed");
    while Transactions::get_transaction_depth(&slot.conn) > 0 {
        if let Err(e) = Transactions::rollback(&mut slot.conn).await {
            tracing::error!(error = %e, "could not roll back the writer's transaction");
            break;
        }
    }
    slot.since = None;
    for member in slot.batch.drain(..).chain(last) {
        let _ = member.send(Err(failure.clone()));
    }
}

/// The error a member gets when its batch's COMMIT failed.
fn batch_failed(failure: Failure) -> sqlx::Error {
    if failure.busy {
        return sqlx::Error::PoolTimedOut;
    }
    sqlx::Error::Io(std::io::Error::other(format!(
        "the write was not committed: {}",
        failure.reason
    )))
}

impl Writer {
    pub(super) fn sqlite(conn: Conn) -> Writer {
        Writer(Kind::Sqlite(Arc::new(Held {
            slot: Arc::new(Mutex::new(Some(Slot {
                conn,
                batch: Vec::new(),
                since: None,
            }))),
            waiting: AtomicUsize::new(0),
            commits: AtomicUsize::new(0),
        })))
    }

    /// COMMITs made so far on SQLite's held connection (`None` on PostgreSQL): with writes
    /// queued, fewer than the writes they acknowledge (group commit).
    pub fn commits(&self) -> Option<usize> {
        match &self.0 {
            Kind::Sqlite(held) => Some(held.commits.load(Ordering::Relaxed)),
            Kind::Postgres(_) => None,
        }
    }

    /// Writes queued for SQLite's held connection (tests).
    #[cfg(test)]
    pub fn queued(&self) -> usize {
        match &self.0 {
            Kind::Sqlite(held) => held.waiting.load(Ordering::Acquire),
            Kind::Postgres(_) => 0,
        }
    }

    pub(super) fn postgres(pool: AnyPool) -> Writer {
        Writer(Kind::Postgres(pool))
    }

    /// The writer connection (SQLite: once the writes queued before this one are done and their
    /// batch is committed), for statements that need no write lock. Dropped, it goes to the next
    /// writer.
    pub async fn acquire(&self) -> sqlx::Result<WriterConn> {
        match &self.0 {
            Kind::Sqlite(held) => Ok(WriterConn(Lent::Held(held.lock_alone().await?))),
            Kind::Postgres(pool) => Ok(WriterConn(Lent::Pooled(pool.acquire().await?))),
        }
    }

    /// A transaction on the writer connection, begun with `statement` (`None`: `BEGIN`, never
    /// part of a batch).
    pub(super) async fn begin_with(
        &self,
        statement: Option<&'static str>,
    ) -> sqlx::Result<WriteTx> {
        let held = match &self.0 {
            Kind::Postgres(pool) => {
                let tx = match statement {
                    Some(statement) => pool.begin_with(statement).await?,
                    None => pool.begin().await?,
                };
                return Ok(WriteTx(Tx::Pooled(tx)));
            }
            Kind::Sqlite(held) => held,
        };
        begin_held(held, statement, false).await
    }

    /// A deferred transaction on the writer connection, bypassing the write lock like
    /// [`Writer::acquire`] (tests arranging data).
    pub async fn begin(&self) -> sqlx::Result<WriteTx> {
        self.begin_with(None).await
    }

    /// Waits for the write in flight (and commits its batch), then closes the connection(s).
    pub(super) async fn close(&self) {
        match &self.0 {
            Kind::Sqlite(held) => {
                let mut guard = held.slot.lock().await;
                if let Some(slot) = guard.as_mut() {
                    if let Err(e) = settle(slot, &held.commits).await {
                        tracing::warn!(error = %e, "ending the last write failed");
                    }
                }
                if let Some(slot) = guard.take() {
                    if let Err(e) = sqlx::Connection::close(slot.conn).await {
                        tracing::warn!(error = %e, "closing the writer connection failed");
                    }
                }
            }
            Kind::Postgres(pool) => pool.close().await,
        }
    }
}

/// SQLite: a write on the held connection, begun with `statement` (see [`Writer::begin_with`]);
/// `one`: of one statement (`&Writer` as an executor), which joins an open batch as a
/// [`Role::Statement`].
///
/// Such a statement is a member of the group commit like any other write, not an autocommit that
/// would first COMMIT the open batch and then pay a COMMIT of its own: the outbox workers claim
/// their messages this way, while bookings write.
async fn begin_held(
    held: &Arc<Held>,
    statement: Option<&'static str>,
    one: bool,
) -> sqlx::Result<WriteTx> {
    let mut slot = held.lock().await?;
    let open = Transactions::get_transaction_depth(&slot.conn) == 1;
    let role = match (statement, !slot.batch.is_empty() && open) {
        // An open batch: this write runs in a savepoint of its transaction.
        (Some(_), true) => {
            Transactions::begin(&mut slot.conn, None).await?;
            match one {
                true => Role::Statement,
                false => Role::Joined,
            }
        }
        (statement, _) => {
            settle(&mut slot, &held.commits).await?;
            Transactions::begin(&mut slot.conn, statement.map(Cow::Borrowed)).await?;
            match statement {
                Some(_) => Role::First,
                None => Role::Alone,
            }
        }
    };
    Ok(WriteTx(Tx::Held(HeldTx {
        slot: Some(slot),
        role,
        held: held.clone(),
    })))
}

/// The writer connection, lent by [`Writer::acquire`].
pub struct WriterConn(Lent);

enum Lent {
    Held(Guard),
    Pooled(PoolConnection<Backend>),
}

impl Deref for WriterConn {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        match &self.0 {
            Lent::Held(slot) => &slot.conn,
            Lent::Pooled(conn) => conn,
        }
    }
}

impl DerefMut for WriterConn {
    fn deref_mut(&mut self) -> &mut Conn {
        match &mut self.0 {
            Lent::Held(slot) => &mut slot.conn,
            Lent::Pooled(conn) => conn,
        }
    }
}

/// A transaction on the writer connection ([`Db::write`](super::Db::write)): statements run on it
/// through `&mut tx` / `&mut *tx`; [`WriteTx::commit`] ends it. Dropped without a commit, it rolls
/// back, as sqlx's own transactions do (on SQLite's held connection, in a task that holds the
/// connection until the rollback is done: only this write's own work is undone).
pub struct WriteTx(Tx);

enum Tx {
    /// SQLite's held connection.
    Held(HeldTx),
    /// PostgreSQL: sqlx's transaction on a pooled connection.
    Pooled(sqlx::Transaction<'static, Backend>),
}

/// How a write sits in SQLite's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// It began the transaction (`BEGIN IMMEDIATE`); the batch is empty while it runs.
    First,
    /// It runs in a savepoint of a batch's open transaction.
    Joined,
    /// A deferred `BEGIN` of its own, committed alone.
    Alone,
    /// One statement sent to `&Writer` that found a batch open: in a savepoint of its
    /// transaction like a joined write, which then COMMITs the batch at once (its caller asked
    /// for an autocommit and waits for it). One that finds none begins the transaction as
    /// [`Role::First`] and is batched like any write.
    Statement,
}

/// A write on the held connection; `slot` until it is ended.
struct HeldTx {
    slot: Option<Guard>,
    role: Role,
    held: Arc<Held>,
}

impl HeldTx {
    /// Ends the write (`commit`: keeps its work, else undoes it) in a task of its own, which
    /// owns the connection until the transaction is handed on or committed. `None` (the slot
    /// left in place) without a runtime to run it.
    fn end(&mut self, commit: bool) -> Option<oneshot::Receiver<Told>> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let mut slot = self.slot.take()?;
        let (role, held) = (self.role, self.held.clone());
        let (told, outcome) = oneshot::channel();
        runtime.spawn(async move {
            match (role, commit) {
                (Role::Joined | Role::Statement, _) => {
                    // RELEASE (or ROLLBACK TO) this write's savepoint; the batch's work stays.
                    let ended = match commit {
                        true => Transactions::commit(&mut slot.conn).await,
                        false => Transactions::rollback(&mut slot.conn).await,
                    };
                    match ended {
                        Ok(()) if commit && role == Role::Statement => {
                            let _ = commit_batch(&mut slot, &held.commits, Some(told)).await;
                        }
                        Ok(()) if commit => hand_on(slot, &held, Some(told)).await,
                        Ok(()) => {
                            let _ = told.send(Ok(()));
                            hand_on(slot, &held, None).await;
                        }
                        Err(e) => {
                            let _ = told.send(Err(Failure::of(&e)));
                            abort(&mut slot, &held.commits, commit).await;
                        }
                    }
                }
                (Role::First, true) => hand_on(slot, &held, Some(told)).await,
                // The batch is empty: nothing but this write to commit.
                (Role::Alone, true) => {
                    // Its outcome goes to the members, `told` among them.
                    let _ = commit_batch(&mut slot, &held.commits, Some(told)).await;
                }
                // First or alone: the transaction holds this write's work only.
                (_, false) => {
                    let undone = Transactions::rollback(&mut slot.conn).await;
                    let _ = told.send(undone.map_err(|e| Failure::of(&e)));
                }
            }
        });
        Some(outcome)
    }
}

/// A joined write's savepoint could not be ended (`released`: its RELEASE failed, so it can
/// still be undone alone). Either its work is rolled back alone and the batch goes on, or the
/// whole transaction is, and every member is told.
async fn abort(slot: &mut Guard, commits: &AtomicUsize, released: bool) {
    if released && Transactions::rollback(&mut slot.conn).await.is_ok() {
        if !slot.batch.is_empty() {
            let _ = commit_batch(slot, commits, None).await;
        }
        return;
    }
    fail_batch(
        slot,
        &Failure::new("a write of its batch failed to end"),
        None,
    )
    .await;
}

/// After a write: joins `member` (if any) to the open batch and hands the connection to the
/// next write, when one waits and the batch has room; else COMMITs for all. A member that handed
/// on waits for the COMMIT, and makes it itself after [`FLUSH_AFTER`].
async fn hand_on(mut slot: Guard, held: &Arc<Held>, member: Option<oneshot::Sender<Told>>) {
    let joins = member.is_some() as usize;
    let old = slot
        .since
        .is_some_and(|since| since.elapsed() >= MAX_BATCH_AGE);
    if held.waiting.load(Ordering::Acquire) == 0 || slot.batch.len() + joins >= MAX_BATCH || old {
        if !slot.batch.is_empty() || member.is_some() {
            let _ = commit_batch(&mut slot, &held.commits, member).await;
        }
        return;
    }
    let Some(member) = member else {
        return;
    };
    let (told, mut outcome) = oneshot::channel();
    slot.batch.push(told);
    slot.since.get_or_insert_with(std::time::Instant::now);
    drop(slot);
    let result = match tokio::time::timeout(FLUSH_AFTER, &mut outcome).await {
        Ok(result) => result,
        Err(_) => {
            // Still uncommitted: whoever it was handed to has not come (cancelled in the queue).
            match held.lock_alone().await {
                Ok(slot) => drop(slot),
                Err(e) => tracing::warn!(error = %e, "could not end a batch"),
            }
            outcome.await
        }
    };
    let _ = member.send(result.unwrap_or_else(|_| Err(Failure::new("the batch was dropped"))));
}

impl Drop for HeldTx {
    fn drop(&mut self) {
        if self.slot.is_some() && self.end(false).is_none() {
            // No runtime (the process is ending): the driver rolls back on its own thread.
            if let Some(slot) = self.slot.as_mut() {
                Transactions::start_rollback(&mut slot.conn);
            }
        }
    }
}

impl WriteTx {
    /// Commits the transaction. On SQLite, returns once the COMMIT that includes this write
    /// is done (see the module's group commit).
    pub async fn commit(self) -> sqlx::Result<()> {
        match self.0 {
            Tx::Held(mut held) => outcome(held.end(true)).await,
            Tx::Pooled(tx) => tx.commit().await,
        }
    }

    /// Rolls the transaction back (SQLite: this write's own work).
    pub async fn rollback(self) -> sqlx::Result<()> {
        match self.0 {
            Tx::Held(mut held) => outcome(held.end(false)).await,
            Tx::Pooled(tx) => tx.rollback().await,
        }
    }
}

async fn outcome(told: Option<oneshot::Receiver<Told>>) -> sqlx::Result<()> {
    match told {
        Some(told) => match told.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) => Err(batch_failed(reason)),
            Err(_) => Err(batch_failed(Failure::new("the writer stopped"))),
        },
        None => Err(batch_failed(Failure::new("no runtime to end it"))),
    }
}

impl Deref for WriteTx {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        match &self.0 {
            Tx::Held(held) => {
                &held
                    .slot
                    .as_ref()
                    .expect("a live write holds the connection")
                    .conn
            }
            Tx::Pooled(tx) => tx,
        }
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        match &mut self.0 {
            Tx::Held(held) => {
                &mut held
                    .slot
                    .as_mut()
                    .expect("a live write holds the connection")
                    .conn
            }
            Tx::Pooled(tx) => tx,
        }
    }
}

/// `&Writer` as an executor: each statement is a write of its own (SQLite: group-committed, and
/// answered once durable; PostgreSQL: on the writers' pool).
impl<'w> Executor<'w> for &'w Writer {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<AnyQueryResult, AnyRow>>>
    where
        'w: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let held = match &self.0 {
            Kind::Postgres(pool) => return pool.fetch_many(query),
            Kind::Sqlite(held) => held,
        };
        // The rows are collected in the statement's own write, then handed out once committed.
        let rows = async move {
            let mut tx = match begin_held(held, Some("BEGIN IMMEDIATE"), true).await {
                Ok(tx) => tx,
                Err(e) => return vec![Err(e)],
            };
            let mut rows = Vec::new();
            {
                let mut stream = (&mut *tx).fetch_many(query);
                while let Some(row) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await
                {
                    rows.push(row);
                }
            }
            if rows.iter().any(Result::is_err) {
                // Dropped: its own work is undone.
                return rows;
            }
            match tx.commit().await {
                Ok(()) => rows,
                Err(e) => vec![Err(e)],
            }
        };
        Box::pin(Rows::Pending(Box::pin(rows)))
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<AnyRow>>>
    where
        'w: 'e,
        E: 'q + Execute<'q, Any>,
    {
        let held = match &self.0 {
            Kind::Postgres(pool) => return pool.fetch_optional(query),
            Kind::Sqlite(held) => held,
        };
        Box::pin(async move {
            let mut tx = begin_held(held, Some("BEGIN IMMEDIATE"), true).await?;
            let row = (&mut *tx).fetch_optional(query).await?;
            tx.commit().await?;
            Ok(row)
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<AnyStatement<'q>>>
    where
        'w: 'e,
    {
        Box::pin(async move {
            let mut conn = self.acquire().await?;
            (&mut *conn).prepare_with(sql, parameters).await
        })
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<Any>>>
    where
        'w: 'e,
    {
        Box::pin(async move {
            let mut conn = self.acquire().await?;
            (&mut *conn).describe(sql).await
        })
    }
}

type Collected = Vec<sqlx::Result<Either<AnyQueryResult, AnyRow>>>;

/// A statement's results, collected on the writer connection, then streamed.
enum Rows<'e> {
    Pending(BoxFuture<'e, Collected>),
    Ready(std::vec::IntoIter<sqlx::Result<Either<AnyQueryResult, AnyRow>>>),
}

impl Stream for Rows<'_> {
    type Item = sqlx::Result<Either<AnyQueryResult, AnyRow>>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        loop {
            match &mut *self {
                Rows::Pending(rows) => match rows.as_mut().poll(cx) {
                    std::task::Poll::Ready(rows) => *self = Rows::Ready(rows.into_iter()),
                    std::task::Poll::Pending => return std::task::Poll::Pending,
                },
                Rows::Ready(rows) => return std::task::Poll::Ready(rows.next()),
            }
        }
    }
}
