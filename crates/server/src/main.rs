//! `booking-server`: the command line. Everything else is in the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use booking_server::notify::delivery::Timing;
use booking_server::{admin, app, db, demo, AppState, Config};

#[derive(Parser)]
#[command(
    name = "booking-server",
    version,
    about = "Scheduling server for the booking widget"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start-up: the size of `Serve`'s flags costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Serve the API, the widget and (with --demo) the demo page.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The database: a SQLite file (a path or sqlite://PATH, created when missing) or
        /// postgres://user:pass@host:port/dbname (the database must exist; migrations are applied).
        #[arg(
            long,
            env = "BOOKING_DB",
            hide_env_values = true,
            default_value = "./data/booking.sqlite"
        )]
        db: String,
        /// Seed the demo company (id `demo`, API key `demo-api-key`) and serve the demo page at `/`.
        #[arg(long)]
        demo: bool,
        /// Directory of the built widget (trunk's output), served under /widget/.
        #[arg(long, default_value = "./dist")]
        widget_dir: PathBuf,
        /// Public origin for links in answers and webhooks, e.g. https://book.example.com (default:
        /// the listen address; none when it is 0.0.0.0 or ::).
        #[arg(long)]
        public_url: Option<String>,
        /// Without --public-url, build links from X-Forwarded-Proto/-Host and Host (only behind a
        /// reverse proxy that sets them: anyone can send these headers).
        #[arg(long)]
        trust_forwarded_headers: bool,
        /// Booking requests allowed per visitor IP per minute.
        #[arg(long, default_value_t = 30)]
        bookings_per_minute: u32,
        /// Spin a lowest-priority thread while writes queue for SQLite's writer, so that CPUs stay
        /// awake for the wake-ups each write waits on (`auto`: not with one CPU or a cgroup CPU
        /// quota).
        #[arg(long, value_enum, default_value_t = booking_server::busy_poll::Mode::Auto)]
        busy_poll: booking_server::busy_poll::Mode,
        /// Let watches (webhooks) call loopback and private-network addresses (tests, demos).
        #[arg(long)]
        allow_private_webhooks: bool,
        /// Send emails through this SMTP server: smtp://user:pass@host:port (add ?tls=required for
        /// STARTTLS) or smtps://user:pass@host:port. Without it, emails are written as .eml files
        /// in the `mail` directory beside the SQLite database (`data/mail` with PostgreSQL).
        #[arg(long, env = booking_server::notify::SMTP_URL_ENV, hide_env_values = true)]
        smtp_url: Option<String>,
        /// A PEM file of certificate authorities the SMTP server's certificate may chain to (a
        /// private CA), beside the public ones; needs smtps:// or ?tls=required.
        #[arg(long, env = booking_server::notify::SMTP_CA_FILE_ENV)]
        smtp_ca_file: Option<PathBuf>,
        /// Sender address of emails for companies without an email address of their own.
        #[arg(long, default_value = "bookings@localhost")]
        mail_from: String,
        #[command(flatten)]
        sms: SmsArgs,
        #[command(flatten)]
        outbox: OutboxArgs,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
    /// Administration: companies and API keys.
    Admin {
        /// The database, as for `serve --db`.
        #[arg(
            long,
            global = true,
            env = "BOOKING_DB",
            hide_env_values = true,
            default_value = "./data/booking.sqlite"
        )]
        db: String,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// The SMS gateway (text messages to clients of companies with `smsNotifications` on).
#[derive(clap::Args)]
struct SmsArgs {
    /// Post text messages to this HTTP gateway, e.g.
    /// https://api.twilio.com/2010-04-01/Accounts/ACxxx/Messages.json; userinfo
    /// (https://user:pass@host/…) is sent as HTTP Basic. Without it, no text messages.
    #[arg(long, env = booking_server::notify::sms::URL_ENV, hide_env_values = true)]
    sms_url: Option<String>,
    /// HTTP Basic user of the gateway (Twilio: the Account SID); wins over the URL's.
    #[arg(long, env = booking_server::notify::sms::USER_ENV)]
    sms_user: Option<String>,
    /// HTTP Basic password of the gateway (Twilio: the Auth Token); wins over the URL's.
    #[arg(long, env = booking_server::notify::sms::PASSWORD_ENV, hide_env_values = true)]
    sms_password: Option<String>,
    /// Sender of text messages: a number in E.164 form (+15005550006) or a sender id.
    #[arg(long, default_value = "")]
    sms_from: String,
    /// Body of the gateway request: `form` (To, From, Body; Twilio) or `json` ({to, from, body}).
    #[arg(long, value_enum, default_value_t = booking_server::notify::sms::Format::Form)]
    sms_format: booking_server::notify::sms::Format,
}

/// Delivery timing of emails and text messages (and the lease of webhook deliveries).
#[derive(clap::Args)]
struct OutboxArgs {
    /// How long a worker holds a message (or webhook delivery) it is sending, in ms; after a crash
    /// it is sent again once this has passed.
    #[arg(long, default_value_t = 120_000, value_parser = clap::value_parser!(u64).range(100..))]
    outbox_lease_ms: u64,
    /// Wait before the first retry of a failed message, in ms; each further one waits twice as
    /// long.
    #[arg(long, default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(10..))]
    outbox_backoff_ms: u64,
    /// Longest wait between two retries, in ms.
    #[arg(long, default_value_t = 3_600_000, value_parser = clap::value_parser!(u64).range(10..))]
    outbox_backoff_max_ms: u64,
}

impl OutboxArgs {
    /// The notification channels' timing with these flags applied.
    fn timing(&self) -> Timing {
        Timing {
            lease: Duration::from_millis(self.outbox_lease_ms),
            backoff_base: Duration::from_millis(self.outbox_backoff_ms),
            backoff_max: Duration::from_millis(self.outbox_backoff_max_ms),
            ..Timing::default()
        }
    }
}

/// Reads `--secret-key` without ever echoing it: clap's own errors quote the value they refuse,
/// and a nearly right key in a log is a leaked key.
#[derive(Clone)]
struct SecretKeyParser;

impl clap::builder::TypedValueParser for SecretKeyParser {
    type Value = booking_server::calendar::credentials::SecretKey;

    fn parse_ref(
        &self,
        _command: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Self::Value, clap::Error> {
        let refused = |reason: &str| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid --secret-key (its value is not shown): {reason}\n"),
            )
        };
        value
            .to_str()
            .ok_or_else(|| refused("not UTF-8"))?
            .parse()
            .map_err(|reason: String| refused(&reason))
    }
}

/// Connected calendars (CalDAV, ICS) and the key that seals their passwords.
#[derive(clap::Args)]
struct CalendarArgs {
    /// Key that seals CalDAV passwords at rest: 32 bytes as 64 hex digits or base64 (e.g.
    /// `openssl rand -base64 32`). Without it, CalDAV connections are refused (ICS still works).
    /// Keep it: stored passwords do not open with another key.
    #[arg(long, env = booking_server::calendar::credentials::SECRET_KEY_ENV, hide_env_values = true, value_parser = SecretKeyParser)]
    secret_key: Option<booking_server::calendar::credentials::SecretKey>,
    /// Read each connected calendar again after this many seconds.
    #[arg(long, env = booking_server::calendar::sync::REFRESH_ENV, default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    calendar_refresh_secs: u64,
    /// Before a booking's final check, read the staff member's calendars first when their busy
    /// time is older than this many seconds (waiting at most 2 s, else the stored busy time counts).
    #[arg(long, env = booking_server::calendar::sync::STALENESS_ENV, default_value_t = 300)]
    calendar_staleness_secs: u64,
}

impl CalendarArgs {
    fn settings(&self) -> booking_server::calendar::sync::Settings {
        booking_server::calendar::sync::Settings {
            refresh_interval: Duration::from_secs(self.calendar_refresh_secs),
            staleness: Duration::from_secs(self.calendar_staleness_secs),
            ..Default::default()
        }
    }
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Creates a company and prints a new API key for it.
    CreateCompany {
        /// Company id (1-16 letters, digits, '-', '_', '.').
        #[arg(long)]
        id: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// IANA time zone, e.g. Europe/Paris.
        #[arg(long)]
        time_zone: String,
    },
    /// Prints a new API key for an existing company.
    CreateKey {
        /// Company id.
        #[arg(long)]
        company: String,
        /// A note to recognise the key by.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        // Logs go to stderr: stdout carries the "listening on" line that tooling reads.
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Admin {
            db: db_path,
            command,
        } => {
            let location = db::Location::parse(&db_path)?;
            let db = db::open_at(&location)
                .await
                .with_context(|| format!("opening database {}", location.describe()))?;
            let key = match command {
                AdminCommand::CreateCompany {
                    id,
                    name,
                    time_zone,
                } => admin::create_company(&db, &id, &name, &time_zone).await?,
                AdminCommand::CreateKey { company, label } => {
                    admin::create_key(&db, &company, &label).await?
                }
            };
            println!("{key}");
        }
        Command::Serve {
            addr,
            db: db_path,
            demo: with_demo,
            widget_dir,
            public_url,
            trust_forwarded_headers,
            bookings_per_minute,
            busy_poll,
            allow_private_webhooks,
            smtp_url,
            smtp_ca_file,
            mail_from,
            sms,
            outbox,
            calendar,
        } => {
            let location = db::Location::parse(&db_path)?;
            let db = db::open_at(&location)
                .await
                .with_context(|| format!("opening database {}", location.describe()))?;
            if with_demo {
                demo::seed(&db).await.context("seeding demo data")?;
            }
            if db.dialect() == db::Dialect::Sqlite {
                match booking_server::busy_poll::start(busy_poll) {
                    Ok(()) => tracing::info!("busy poll: on while writes queue"),
                    Err(why) => tracing::info!(why, "busy poll: off"),
                }
            }
            if !widget_dir.join("index.html").exists() {
                tracing::warn!(dir = %widget_dir.display(), "no built widget here; run `cargo xtask demo`");
            }
            let mut config = Config {
                widget_dir: Some(widget_dir),
                demo: with_demo,
                public_url,
                trust_forwarded_headers,
                bookings_per_minute,
                allow_private_webhooks,
                email: booking_server::notify::Settings {
                    mail_dir: smtp_url.is_none().then(|| mail_dir(&location)),
                    smtp_url,
                    smtp_ca_file,
                    default_from: mail_from,
                    timing: outbox.timing(),
                },
                sms: booking_server::notify::sms::Settings {
                    url: sms.sms_url,
                    user: sms.sms_user,
                    password: sms.sms_password,
                    from: sms.sms_from,
                    format: sms.sms_format,
                    timing: outbox.timing(),
                },
                calendar: calendar.settings(),
                calendar_write: booking_server::notify::delivery::Timing {
                    retry_window: booking_server::calendar::write::default_timing().retry_window,
                    ..outbox.timing()
                },
                secret_key: calendar.secret_key,
                webhooks: booking_server::webhooks::Settings {
                    lease: Duration::from_millis(outbox.outbox_lease_ms),
                    ..Default::default()
                },
                ..Config::default()
            };
            let shutdown = shutdown_signal();
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding {addr}"))?;
            let local = listener.local_addr()?;
            config.listen_addr = Some(local);
            if booking_server::links::origin(&config, None).is_none() && !trust_forwarded_headers {
                tracing::warn!("no --public-url: answers and webhooks carry no reschedule links");
            }
            println!("booking-server listening on http://{local}");
            if with_demo {
                // Served by this server, read over loopback (offline, whatever --public-url
                // says): its address is known only now.
                let mut own = local;
                if own.ip().is_unspecified() {
                    own.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
                }
                let origin = format!("http://{own}");
                booking_server::demo::connect_calendar(&db, &origin, chrono::Utc::now())
                    .await
                    .context("connecting the demo calendar")?;
            }
            if with_demo {
                // The host page on `localhost` embeds the widget from `127.0.0.1`: two origins, as on a
                // customer's site.
                let host_page = match local.ip().is_loopback() {
                    true => format!("http://localhost:{}/", local.port()),
                    false => format!("http://{local}/"),
                };
                println!("  demo page:  {host_page}");
                println!("  widget:     http://{local}/widget/?company=demo");
                println!("  API:        http://{local}/api/2.1/scheduling/companies/demo/widget/services");
                if config.email.smtp_url.is_none() {
                    println!("  mailbox:    {host_page}demo/mailbox");
                }
            }
            let state = AppState::new(db.clone(), config);
            // The outbox's workers (webhooks, emails, text messages) deliver in the background; pending rows
            // survive restarts. All stop on the same signal.
            let (stop_workers, workers_stopped) = tokio::sync::watch::channel(false);
            let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
                let _ = rx.wait_for(|stop| *stop).await;
            };
            let worker = booking_server::webhooks::worker::spawn_until(
                state.clone(),
                stopped(workers_stopped.clone()),
            );
            let email_worker = booking_server::notify::worker::spawn_until(
                state.clone(),
                stopped(workers_stopped.clone()),
            )
            .map_err(anyhow::Error::msg)?;
            let sms_worker = booking_server::notify::sms::worker::spawn_until(
                state.clone(),
                stopped(workers_stopped.clone()),
            )
            .map_err(anyhow::Error::msg)?;
            let calendar_refresher = booking_server::calendar::sync::refresher::spawn_until(
                state.clone(),
                stopped(workers_stopped.clone()),
            );
            let calendar_writer = booking_server::calendar::write::worker::spawn_until(
                state.clone(),
                stopped(workers_stopped),
            );
            // Connection info gives the per-IP booking limit its key.
            let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
            // On SIGTERM or Ctrl-C: stop accepting, answer the requests in flight, let the worker
            // finish its attempts, close the database, exit 0.
            axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    shutdown.await;
                    tracing::info!("shutting down: finishing the requests in flight");
                    let _ = stop_workers.send(true);
                })
                .await?;
            worker.await.context("the webhook worker failed")?;
            if let Some(email_worker) = email_worker {
                email_worker.await.context("the email worker failed")?;
            }
            if let Some(sms_worker) = sms_worker {
                sms_worker.await.context("the SMS worker failed")?;
            }
            calendar_refresher
                .await
                .context("the calendar refresher failed")?;
            calendar_writer
                .await
                .context("the calendar writer failed")?;
            db.close().await;
            tracing::info!("stopped");
        }
    }
    Ok(())
}

/// Where emails go without SMTP: `mail/` beside the database file.
fn mail_dir(location: &db::Location) -> PathBuf {
    match location {
        db::Location::Sqlite(path) => path
            .parent()
            .map_or_else(|| PathBuf::from("mail"), |dir| dir.join("mail")),
        // Where the default SQLite file keeps its mail.
        db::Location::Postgres(_) => PathBuf::from("data/mail"),
    }
}

/// Listens for SIGTERM (how service managers stop a process) and Ctrl-C from now on, so a signal
/// that arrives while the server starts isn't fatal; the future completes on the first of them. A
/// signal whose handler can't be installed never fires.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, Signal, SignalKind};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        let fired = |handler: std::io::Result<Signal>| async move {
            match handler {
                Ok(mut handler) => {
                    handler.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        async move {
            tokio::select! {
                _ = fired(terminate) => {}
                _ = fired(interrupt) => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
