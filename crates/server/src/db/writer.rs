//! The writer side of [`Db`](super::Db): SQLite's one writer connection, held by the process, or
//! PostgreSQL's writers' pool.
//!
//! SQLite's writer is not a pool of one: a pool hands a released connection on through a spawned
//! task that first pings the connection's thread, and during that round trip no other write can
//! start. Every booking and every outbox record pays it, one after the other, under the lock. Here
//! writers queue on a fair mutex (first come, first served) for the connection itself, and a
//! finished write hands it straight to the next.

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::Arc;

use futures_core::stream::BoxStream;
use futures_core::Stream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Database, Describe, Either, Execute, Executor, TransactionManager};
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

use super::executor::BoxFuture;
use super::{Backend, Conn};

/// How long a write waits for the writer connection before giving up ([`super::is_busy`]).
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub(super) type Transactions = <Any as Database>::TransactionManager;

/// Where writes go: `&Writer` is a sqlx executor (one statement, no write lock: see
/// [`Db::writer`](super::Db::writer)), [`Writer::acquire`] lends the connection.
#[derive(Debug, Clone)]
pub struct Writer(Kind);

#[derive(Debug, Clone)]
enum Kind {
    /// `None` once closed.
    Sqlite(Arc<Mutex<Option<Conn>>>),
    Postgres(AnyPool),
}

impl Writer {
    pub(super) fn sqlite(conn: Conn) -> Writer {
        Writer(Kind::Sqlite(Arc::new(Mutex::new(Some(conn)))))
    }

    pub(super) fn postgres(pool: AnyPool) -> Writer {
        Writer(Kind::Postgres(pool))
    }

    /// The writer connection (SQLite: once the writes queued before this one are done), for
    /// statements that need no write lock. Dropped, it goes to the next writer.
    pub async fn acquire(&self) -> sqlx::Result<WriterConn> {
        match &self.0 {
            Kind::Sqlite(held) => {
                // As the pool it replaces: a writer stuck past this is a 503 for the ones behind.
                let guard = tokio::time::timeout(ACQUIRE_TIMEOUT, held.clone().lock_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?;
                let mut conn = OwnedMutexGuard::try_map(guard, Option::as_mut)
                    .map_err(|_| sqlx::Error::PoolClosed)?;
                // A write dropped between its BEGIN and its `WriteTx` (a cancelled request)
                // left the transaction, and SQLite's write lock, open: end it before lending.
                if Transactions::get_transaction_depth(&conn) > 0 {
                    Transactions::rollback(&mut conn).await?;
                }
                Ok(WriterConn(Lent::Held(conn)))
            }
            Kind::Postgres(pool) => Ok(WriterConn(Lent::Pooled(pool.acquire().await?))),
        }
    }

    /// A transaction on the writer connection, begun with `statement` (`None`: `BEGIN`).
    pub(super) async fn begin_with(
        &self,
        statement: Option<&'static str>,
    ) -> sqlx::Result<WriteTx> {
        if let Kind::Postgres(pool) = &self.0 {
            let tx = match statement {
                Some(statement) => pool.begin_with(statement).await?,
                None => pool.begin().await?,
            };
            return Ok(WriteTx(Tx::Pooled(tx)));
        }
        let mut conn = self.acquire().await?;
        Transactions::begin(&mut conn, statement.map(Cow::Borrowed)).await?;
        Ok(WriteTx(Tx::Held(HeldTx { conn, open: true })))
    }

    /// A deferred transaction on the writer connection, bypassing the write lock like
    /// [`Writer::acquire`] (tests arranging data).
    pub async fn begin(&self) -> sqlx::Result<WriteTx> {
        self.begin_with(None).await
    }

    /// Waits for the write in flight, then closes the connection(s).
    pub(super) async fn close(&self) {
        match &self.0 {
            Kind::Sqlite(held) => {
                if let Some(conn) = held.lock().await.take() {
                    if let Err(e) = sqlx::Connection::close(conn).await {
                        tracing::warn!(error = %e, "closing the writer connection failed");
                    }
                }
            }
            Kind::Postgres(pool) => pool.close().await,
        }
    }
}

/// The writer connection, lent by [`Writer::acquire`].
pub struct WriterConn(Lent);

enum Lent {
    Held(OwnedMappedMutexGuard<Option<Conn>, Conn>),
    Pooled(PoolConnection<Backend>),
}

impl Deref for WriterConn {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        match &self.0 {
            Lent::Held(conn) => conn,
            Lent::Pooled(conn) => conn,
        }
    }
}

impl DerefMut for WriterConn {
    fn deref_mut(&mut self) -> &mut Conn {
        match &mut self.0 {
            Lent::Held(conn) => conn,
            Lent::Pooled(conn) => conn,
        }
    }
}

/// A transaction on the writer connection ([`Db::write`](super::Db::write)): statements run on it
/// through `&mut tx` / `&mut *tx`; [`WriteTx::commit`] ends it. Dropped without a commit, it rolls
/// back, as sqlx's own transactions do (on SQLite's held connection the rollback is queued on it
/// before anything the next writer sends).
pub struct WriteTx(Tx);

enum Tx {
    /// SQLite's held connection.
    Held(HeldTx),
    /// PostgreSQL: sqlx's transaction on a pooled connection.
    Pooled(sqlx::Transaction<'static, Backend>),
}

/// A transaction on the held connection; `open` until committed.
struct HeldTx {
    conn: WriterConn,
    open: bool,
}

impl Drop for HeldTx {
    fn drop(&mut self) {
        if self.open {
            Transactions::start_rollback(&mut self.conn);
        }
    }
}

impl WriteTx {
    /// Commits the transaction.
    pub async fn commit(self) -> sqlx::Result<()> {
        match self.0 {
            Tx::Held(mut held) => {
                Transactions::commit(&mut held.conn).await?;
                held.open = false;
                Ok(())
            }
            Tx::Pooled(tx) => tx.commit().await,
        }
    }

    /// Rolls the transaction back.
    pub async fn rollback(self) -> sqlx::Result<()> {
        match self.0 {
            Tx::Held(mut held) => {
                Transactions::rollback(&mut held.conn).await?;
                held.open = false;
                Ok(())
            }
            Tx::Pooled(tx) => tx.rollback().await,
        }
    }
}

impl Deref for WriteTx {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        match &self.0 {
            Tx::Held(held) => &held.conn,
            Tx::Pooled(tx) => tx,
        }
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        match &mut self.0 {
            Tx::Held(held) => &mut held.conn,
            Tx::Pooled(tx) => tx,
        }
    }
}

/// `&Writer` as an executor: each statement takes the writer connection for itself.
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
        if let Kind::Postgres(pool) = &self.0 {
            return pool.fetch_many(query);
        }
        // The rows are collected while the connection is held, then handed out.
        let rows = async move {
            let mut conn = match self.acquire().await {
                Ok(conn) => conn,
                Err(e) => return vec![Err(e)],
            };
            let mut stream = (&mut *conn).fetch_many(query);
            let mut rows = Vec::new();
            while let Some(row) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                rows.push(row);
            }
            rows
        };
        Box::pin(Rows::Pending(Box::pin(rows)))
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<AnyRow>>>
    where
        'w: 'e,
        E: 'q + Execute<'q, Any>,
    {
        Box::pin(async move {
            let mut conn = self.acquire().await?;
            (&mut *conn).fetch_optional(query).await
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
