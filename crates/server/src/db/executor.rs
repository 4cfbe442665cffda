//! `&Db` as a sqlx executor: every query sent to it runs on the reader pool, exactly as if it had
//! been sent to `&SqlitePool`. Writes go through `Db::write` or `Db::writer` instead.

use std::future::Future;
use std::pin::Pin;

use futures_core::stream::BoxStream;
use sqlx::sqlite::{SqliteQueryResult, SqliteRow, SqliteStatement, SqliteTypeInfo};
use sqlx::{Describe, Either, Execute, Executor, Sqlite};

use super::Db;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl<'d> Executor<'d> for &'_ Db {
    type Database = Sqlite;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<SqliteQueryResult, SqliteRow>>>
    where
        'd: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        self.readers.fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, sqlx::Result<Option<SqliteRow>>>
    where
        'd: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        self.readers.fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [SqliteTypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<SqliteStatement<'q>>>
    where
        'd: 'e,
    {
        self.readers.prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<Sqlite>>>
    where
        'd: 'e,
    {
        self.readers.describe(sql)
    }
}
