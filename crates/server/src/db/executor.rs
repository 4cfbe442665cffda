//! `&Db` as a sqlx executor: every query sent to it runs on the reader pool, exactly as if it had
//! been sent to the reader pool itself. Writes go through `Db::write` or `Db::writer` instead.

use std::future::Future;
use std::pin::Pin;

use futures_core::stream::BoxStream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, Describe, Either, Execute, Executor};

use super::Db;

/// The future sqlx's `Executor` methods return (also the writer's, `writer.rs`).
pub(super) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl<'d> Executor<'d> for &'_ Db {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<AnyQueryResult, AnyRow>>>
    where
        'd: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.readers.fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<AnyRow>>>
    where
        'd: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.readers.fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<AnyStatement<'q>>>
    where
        'd: 'e,
    {
        self.readers.prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<Any>>>
    where
        'd: 'e,
    {
        self.readers.describe(sql)
    }
}
