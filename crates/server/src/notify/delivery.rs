//! How a notification (email or SMS) is delivered from the outbox: one worker for both channels,
//! which claims due rows, gives up those whose retry window is over, has the channel's [`Sender`]
//! prepare and send each, and records the outcome: sent, retried with backoff until the retry
//! window after the change (or the reminder's instant) is over, or failed for good. A reminder is
//! also given up once its appointment has started (never sent after it). So both channels retry
//! and give up alike; they differ only in their `Sender`.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::transport::Outcome;
use crate::db::outbox::{self, AttemptRecord, Finish, Message};
use crate::db::Conn;
use crate::outbox_worker::{self, chrono_duration, Channel};
use crate::AppState;

/// How a notification channel's deliveries are timed. The defaults suit production; tests shrink
/// them, and `--outbox-*` flags set the lease and the backoff.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// How often the worker looks for due messages.
    pub poll_interval: Duration,
    /// Delay before the first retry; each further retry waits twice as long (±20 % jitter).
    pub backoff_base: Duration,
    /// Longest wait between two attempts.
    pub backoff_max: Duration,
    /// A message is given up when its next attempt would start this long after the change.
    pub retry_window: Duration,
    /// Time limit of one send, the whole exchange with the receiver.
    pub timeout: Duration,
    /// How long a claimed message is reserved for its worker (more than one attempt).
    pub lease: Duration,
    /// Messages in flight at once.
    pub max_in_flight: usize,
}

impl Timing {
    /// With a send bounded to ¾ of the lease: past the lease, the message can be claimed and sent
    /// again while the first attempt is still waiting for an answer.
    pub fn within_lease(self) -> Timing {
        Timing {
            timeout: self.timeout.min(self.lease.mul_f64(0.75)),
            ..self
        }
    }
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll_interval: Duration::from_secs(1),
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(3600),
            retry_window: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(30),
            lease: Duration::from_secs(120),
            max_in_flight: 4,
        }
    }
}

/// What a notification channel does with a claimed row; the rest is [`Worker`]'s.
pub trait Sender: Send + Sync + 'static {
    /// The outbox channel.
    const CHANNEL: &'static str;
    /// What [`Sender::prepare`] makes of a row: the bytes to send and where to.
    type Prepared: Send;
    /// The message to send: made at the first attempt (and saved in the row with that attempt's
    /// outcome, in the same write, so a retry sends the same bytes), read back at the next ones.
    /// The error is the attempt's outcome.
    fn prepare(
        &self,
        state: &AppState,
        message: &Message,
    ) -> impl Future<Output = Result<Self::Prepared, Outcome>> + Send;
    /// The bytes [`Sender::prepare`] made, as saved in the row.
    fn body(prepared: &Self::Prepared) -> &str;
    /// What a send changed beside the outbox row, for [`Sender::settle`] (nothing for email and
    /// SMS).
    type Effect: Send + Sync;
    /// Sends it once.
    fn send(
        &self,
        message: &Message,
        prepared: Self::Prepared,
    ) -> impl Future<Output = (Outcome, Option<Self::Effect>)> + Send;
    /// Records what the attempt started at `started` changed (`effect`, or why it failed), in the
    /// transaction that finishes it, and only while this worker still owned the row: a worker
    /// whose lease ran out must not overwrite what the one that took the row over recorded.
    fn settle(
        &self,
        _conn: &mut Conn,
        _message: &Message,
        _attempt: (&Outcome, Option<&Self::Effect>),
        _times: (DateTime<Utc>, DateTime<Utc>),
    ) -> impl Future<Output = crate::Result<()>> + Send {
        async { Ok(()) }
    }
}

/// A notification channel in the outbox loop: `sender` with its `timing`.
pub struct Worker<S> {
    pub sender: S,
    pub timing: Timing,
}

impl<S: Sender> Worker<S> {
    /// Runs the channel's loop in a task until `stop` completes.
    pub fn spawn_until(
        mut self,
        state: AppState,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        self.timing = self.timing.within_lease();
        let running = Running {
            worker: self,
            recorder: Recorder {
                queued: std::sync::Mutex::new(Vec::new()),
                turn: tokio::sync::Mutex::new(()),
            },
        };
        tokio::spawn(outbox_worker::run(Arc::new(running), state, stop))
    }

    /// One attempt's outcome, the bytes made for it when the row had none yet (to be saved
    /// with the outcome), and its effect.
    async fn attempt(
        &self,
        state: &AppState,
        message: &Message,
    ) -> (Outcome, Option<String>, Option<S::Effect>) {
        if let Some(late) = too_late(message, state.clock.now(), self.timing.retry_window) {
            return (late, None, None);
        }
        let prepared = match self.sender.prepare(state, message).await {
            Ok(prepared) => prepared,
            Err(outcome) => return (outcome, None, None),
        };
        let made = message
            .body
            .is_none()
            .then(|| S::body(&prepared).to_owned());
        // Transports bound each step (an SMTP command, a request); this bounds the whole exchange,
        // so a receiver answering slowly can't keep it going past the lease (and a second copy).
        let send = self.sender.send(message, prepared);
        let (outcome, effect) = match tokio::time::timeout(self.timing.timeout, send).await {
            Ok(sent) => sent,
            Err(_) => (
                Outcome::Retry {
                    code: None,
                    error: format!("{}: no answer within {:?}", S::CHANNEL, self.timing.timeout),
                },
                None,
            ),
        };
        (outcome, made, effect)
    }
}

/// A [`Worker`] in its loop, with the outcomes of its attempts waiting to be written.
struct Running<S: Sender> {
    worker: Worker<S>,
    recorder: Recorder<S>,
}

/// The outcomes of attempts waiting for their write, and the turn to write them. Attempts that end
/// while a write waits for the write lock are written with it, in one transaction: a burst of
/// deliveries takes one turn of the writer from bookings, not one each.
struct Recorder<S: Sender> {
    queued: std::sync::Mutex<Vec<Attempted<S>>>,
    turn: tokio::sync::Mutex<()>,
}

/// One attempt's outcome, as it will be written.
struct Attempted<S: Sender> {
    message: Message,
    /// The bytes made for it, when the row had none yet.
    made: Option<String>,
    record: AttemptRecord,
    /// The outcome and effect, for [`Sender::settle`].
    settled: (Outcome, Option<S::Effect>),
    started_at: DateTime<Utc>,
    /// Told once the write that included it is over (whatever its result).
    written: tokio::sync::oneshot::Sender<()>,
}

impl<S: Sender> Channel for Running<S> {
    type Item = Message;
    const NAME: &'static str = S::CHANNEL;

    fn poll_interval(&self) -> Duration {
        self.worker.timing.poll_interval
    }

    fn max_in_flight(&self) -> usize {
        self.worker.timing.max_in_flight
    }

    async fn claim(
        &self,
        state: &AppState,
        owner: &str,
        room: usize,
    ) -> crate::Result<Vec<Message>> {
        claim_due(state, S::CHANNEL, self.worker.timing.lease, owner, room).await
    }

    async fn deliver(self: Arc<Self>, state: AppState, owner: Arc<str>, message: Message) {
        let started_at = state.clock.now();
        let clock = Instant::now();
        let (outcome, made, effect) = self.worker.attempt(&state, &message).await;
        let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
        let record = attempt_record(
            &state,
            &message,
            (started_at, duration_ms),
            outcome.clone(),
            &self.worker.timing,
        );
        let (written, was_written) = tokio::sync::oneshot::channel();
        let attempted = Attempted {
            message,
            made,
            record,
            settled: (outcome, effect),
            started_at,
            written,
        };
        self.recorder.queue(attempted);
        let _turn = self.recorder.turn.lock().await;
        if was_written.is_empty() {
            // Still queued: this turn writes it, with every outcome queued by the time the write
            // lock is ours.
            self.recorder
                .write(&state, &self.worker.sender, &owner)
                .await;
        }
    }
}

impl<S: Sender> Recorder<S> {
    fn queue(&self, attempted: Attempted<S>) {
        self.queued
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(attempted);
    }

    fn take(&self) -> Vec<Attempted<S>> {
        std::mem::take(
            &mut *self
                .queued
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Writes the queued outcomes in one transaction; when it fails, each in one of its own, so
    /// that one outcome that can't be written does not lose the others. Errors are logged (an
    /// unrecorded attempt is retried once its lease expires, and made again).
    async fn write(&self, state: &AppState, sender: &S, owner: &str) {
        let together = async {
            let mut tx = state.db.write().await?;
            let batch = self.take();
            let written = write_each(&mut tx, sender, owner, &batch, state.clock.now()).await;
            let committed = match written {
                Ok(()) => tx.commit().await.map_err(crate::Error::from),
                Err(e) => Err(e),
            };
            Ok::<_, crate::Error>((batch, committed))
        };
        let (batch, committed) = match together.await {
            Ok(done) => done,
            Err(e) => {
                // No write lock: nothing was taken, the next turn writes them.
                tracing::warn!(error = %e, channel = S::CHANNEL, "could not record attempts");
                return;
            }
        };
        if let Err(e) = committed {
            tracing::warn!(error = %e, channel = S::CHANNEL, attempts = batch.len(), "could not record attempts together: one at a time");
            for attempted in &batch {
                let alone = async {
                    let mut tx = state.db.write().await?;
                    let one = std::slice::from_ref(attempted);
                    write_each(&mut tx, sender, owner, one, state.clock.now()).await?;
                    tx.commit().await?;
                    crate::Result::<()>::Ok(())
                };
                if let Err(e) = alone.await {
                    tracing::warn!(error = %e, message = %attempted.message.id, channel = S::CHANNEL, "could not record an attempt");
                }
            }
        }
        for attempted in batch {
            let _ = attempted.written.send(());
        }
    }
}

/// Finishes each of `batch`'s messages in `tx`, settling those this worker still owned.
async fn write_each<S: Sender>(
    conn: &mut Conn,
    sender: &S,
    owner: &str,
    batch: &[Attempted<S>],
    now: DateTime<Utc>,
) -> crate::Result<()> {
    let attempts: Vec<outbox::Attempted<'_>> = batch
        .iter()
        .map(|a| outbox::Attempted {
            id: &a.message.id,
            attempt: a.message.attempts,
            record: &a.record,
            body: a.made.as_deref(),
        })
        .collect();
    let ours = outbox::finish_all(conn, owner, &attempts, now).await?;
    for (a, _) in batch.iter().zip(ours).filter(|(_, ours)| *ours) {
        let (outcome, effect) = &a.settled;
        sender
            .settle(
                conn,
                &a.message,
                (outcome, effect.as_ref()),
                (a.started_at, now),
            )
            .await?;
    }
    Ok(())
}

/// Why `message` is no longer worth an attempt at `now`: the appointment a reminder announces
/// has started, or its retry window, counted from the change (or the reminder's instant), is over.
/// A message can wait that long untried when its channel had no transport (text messages queued
/// while no gateway was configured) or its receiver was down: a confirmation arriving days late
/// is worse than none, and a reminder after the start is wrong.
pub fn too_late(message: &Message, now: DateTime<Utc>, retry_window: Duration) -> Option<Outcome> {
    if reminder_start(message).is_some_and(|start| now >= start) {
        return Some(Outcome::Final {
            code: None,
            error: "not sent: the appointment had started before the reminder could go out"
                .to_owned(),
        });
    }
    let occurred = outbox::parse_instant(&message.occurred_at).ok()?;
    (now > occurred + chrono_duration(retry_window)).then(|| Outcome::Final {
        code: None,
        error: "not sent: its retry window was over before it could be tried".to_owned(),
    })
}

/// The start of the appointment a reminder row announces (both channels' payloads carry it);
/// `None` for other kinds. A reminder is worth sending only before it.
fn reminder_start(message: &Message) -> Option<DateTime<Utc>> {
    #[derive(serde::Deserialize)]
    struct Start {
        start: DateTime<Utc>,
    }
    (message.kind == super::plan::Kind::Reminder.as_str())
        .then(|| serde_json::from_str::<Start>(&message.payload).ok())
        .flatten()
        .map(|s| s.start)
}

/// Claims up to `room` of `channel`'s messages due by the server's clock (reminders are planned by
/// it; tests move it) for `owner`, for `lease`, after taking back those whose lease expired.
async fn claim_due(
    state: &AppState,
    channel: &str,
    lease: Duration,
    owner: &str,
    room: usize,
) -> crate::Result<Vec<Message>> {
    let now = state.clock.now();
    let released = outbox::release_expired_leases(&state.db, channel, now).await?;
    if released > 0 {
        tracing::info!(
            channel,
            released,
            "messages taken back after their lease expired"
        );
    }
    let lease_until = now + chrono_duration(lease);
    outbox::claim(&state.db, channel, (now, lease_until), owner, room).await
}

/// What is written of the attempt of claimed `message` that started at `started_at` and ended
/// with `outcome` after `duration_ms`: sent, retried after the backoff, or given up. Logs why an
/// attempt failed or was skipped.
fn attempt_record(
    state: &AppState,
    message: &Message,
    (started_at, duration_ms): (DateTime<Utc>, i64),
    outcome: Outcome,
    timing: &Timing,
) -> AttemptRecord {
    let channel = message.channel.as_str();
    // Not before the backoff, nor before the receiver's `Retry-After`; given up past the window.
    let retry = |code: Option<u16>, error: String, after: Duration| {
        let wait =
            outbox_worker::backoff(timing.backoff_base, timing.backoff_max, message.attempts)
                .max(after);
        let next = state.clock.now() + chrono_duration(wait);
        let deadline = outbox::parse_instant(&message.occurred_at).unwrap_or(started_at)
            + chrono_duration(timing.retry_window);
        // A reminder's retries end at the start of its appointment, not a day after it is due.
        let start = reminder_start(message);
        match (next <= deadline, start.is_none_or(|start| next < start)) {
            (true, true) => (
                code,
                Some(error),
                Finish::Retry {
                    next_attempt_at: next,
                },
            ),
            (_, false) => (
                code,
                Some(format!(
                    "{error} — given up after {} attempts: the appointment starts before the next one",
                    message.attempts
                )),
                Finish::Failed,
            ),
            (false, true) => (
                code,
                Some(format!(
                    "{error} — given up after {} attempts: the retry window is over",
                    message.attempts
                )),
                Finish::Failed,
            ),
        }
    };
    let (status_code, error, finish) = match outcome {
        Outcome::Sent => (None, None, Finish::Succeeded),
        Outcome::Final { code, error } => (code, Some(error), Finish::Failed),
        Outcome::Skipped { reason } => (None, Some(reason), Finish::Skipped),
        Outcome::Retry { code, error } => retry(code, error, Duration::ZERO),
        Outcome::RetryAfter { code, error, after } => retry(code, error, after),
    };
    match (&error, &finish) {
        (Some(reason), Finish::Skipped) => {
            tracing::info!(message = %message.id, channel, %reason, "notification skipped");
        }
        (Some(error), _) => {
            tracing::warn!(message = %message.id, channel, %error, "notification attempt failed");
        }
        (None, _) => {}
    }
    AttemptRecord {
        started_at,
        duration_ms,
        status_code,
        error,
        finish,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A channel whose sends all wait for `go`: the test decides when attempts end.
    struct Gated {
        go: Arc<tokio::sync::Semaphore>,
    }

    impl Sender for Gated {
        const CHANNEL: &'static str = "gated-test";
        type Prepared = ();
        type Effect = ();

        async fn prepare(&self, _: &AppState, _: &Message) -> Result<(), Outcome> {
            Ok(())
        }

        fn body(_: &()) -> &str {
            "body"
        }

        async fn send(&self, _: &Message, _: ()) -> (Outcome, Option<()>) {
            match self.go.acquire().await {
                Ok(permit) => permit.forget(),
                Err(_) => {
                    return (
                        Outcome::Final {
                            code: None,
                            error: "closed".into(),
                        },
                        None,
                    )
                }
            }
            (Outcome::Sent, None)
        }
    }

    async fn count(db: &crate::db::Db, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(db).await.expect("count")
    }

    /// Waits (bounded) until `sql` counts `n`.
    async fn until_counts(db: &crate::db::Db, sql: &str, n: i64) {
        for _ in 0..2_000 {
            if count(db, sql).await == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("`{sql}` never counted {n}");
    }

    /// Attempts that end while bookings hold the writer queue one write for all their outcomes,
    /// not one write each, and every outcome is recorded once it runs.
    #[tokio::test]
    async fn attempts_ending_while_the_writer_is_taken_are_recorded_in_one_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("record.sqlite"))
            .await
            .expect("open");
        crate::admin::create_company(&db, "demo", "Demo", "Europe/Paris")
            .await
            .expect("company");
        let state = AppState::new(db.clone(), crate::Config::default());
        let now = outbox::ms_text(Utc::now());
        for id in ["m1", "m2", "m3"] {
            // A subject each: the outbox sends one message per subject and recipient at a time.
            sqlx::query(
                "INSERT INTO outbox (id, channel, company_id, recipient, subject_id, kind, payload, \
                 occurred_at, time_zone, state, attempts, next_attempt_at, created_at) VALUES \
                 ($1, 'gated-test', 'demo', 'ada@example.com', $1, 'confirmation', '{}', $2, \
                 'Europe/Paris', 'pending', 0, $2, $2)",
            )
            .bind(id)
            .bind(&now)
            .execute(db.writer())
            .await
            .expect("insert");
        }
        let go = Arc::new(tokio::sync::Semaphore::new(0));
        let worker = Worker {
            sender: Gated { go: go.clone() },
            timing: Timing {
                poll_interval: Duration::from_millis(10),
                ..Timing::default()
            },
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = worker.spawn_until(state, async {
            let _ = stopped.await;
        });
        let delivering = "SELECT COUNT(*) FROM outbox WHERE state = 'delivering'";
        until_counts(&db, delivering, 3).await;

        let booking = db.write().await.expect("a booking holds the writer");
        go.add_permits(3);
        // Every send is over at once; give their outcomes time to queue.
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            db.writer().queued(),
            1,
            "one write waits for the writer with the three outcomes, not one each"
        );
        booking.commit().await.expect("the booking commits");

        let recorded = "SELECT COUNT(*) FROM outbox WHERE state = 'succeeded' \
                        AND attempts = 1 AND body = 'body'";
        until_counts(&db, recorded, 3).await;
        let logged = "SELECT COUNT(*) FROM outbox_attempts WHERE attempt = 1 AND error IS NULL";
        assert_eq!(count(&db, logged).await, 3, "each attempt is logged");
        let _ = stop.send(());
        running.await.expect("the worker stops");
    }

    fn message(occurred_at: DateTime<Utc>) -> Message {
        let at = outbox::ms_text(occurred_at);
        Message {
            id: "m1".into(),
            channel: "sms".into(),
            company_id: "demo".into(),
            recipient: "+33612345678".into(),
            subject_id: "a1".into(),
            kind: "confirmation".into(),
            payload: "{}".into(),
            occurred_at: at.clone(),
            time_zone: "Europe/Paris".into(),
            body: None,
            state: "delivering".into(),
            attempts: 1,
            next_attempt_at: at.clone(),
            last_status: None,
            last_error: None,
            created_at: at,
            finished_at: None,
        }
    }

    #[test]
    fn a_reminder_is_given_up_once_its_appointment_has_started_on_either_channel() {
        let due = DateTime::parse_from_rfc3339("2030-03-30T07:00:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        let start = due + chrono::Duration::hours(2);
        let window = Duration::from_secs(24 * 3600);
        for channel in ["sms", "email"] {
            let reminder = Message {
                channel: channel.into(),
                kind: "reminder".into(),
                payload: serde_json::json!({ "start": start }).to_string(),
                ..message(due)
            };
            assert!(too_late(&reminder, start - chrono::Duration::seconds(1), window).is_none());
            // Well inside its retry window, but the appointment is on.
            let late = too_late(&reminder, start, window);
            assert!(
                matches!(&late, Some(Outcome::Final { error, .. }) if error.contains("started")),
                "{channel}: {late:?}"
            );
            // Other kinds keep the retry window: a cancellation may still arrive after the start.
            let other = Message {
                kind: "cancelled".into(),
                ..reminder
            };
            assert!(too_late(&other, start + chrono::Duration::hours(1), window).is_none());
        }
    }

    #[test]
    fn a_message_untried_past_its_retry_window_is_given_up_not_sent_late() {
        let occurred = DateTime::parse_from_rfc3339("2030-03-30T09:00:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        let window = Duration::from_secs(24 * 3600);
        let day = chrono::Duration::hours(24);
        assert!(too_late(&message(occurred), occurred, window).is_none());
        assert!(too_late(&message(occurred), occurred + day, window).is_none());
        let late = too_late(
            &message(occurred),
            occurred + day + chrono::Duration::seconds(1),
            window,
        );
        assert!(
            matches!(late, Some(Outcome::Final { code: None, .. })),
            "{late:?}"
        );
    }
}
