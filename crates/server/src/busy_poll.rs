//! Busy polling while writes queue: a thread of the lowest priority spins while SQLite's writer is
//! contended, so that a CPU stays awake for the wake-ups each write pays.
//!
//! Every statement a write sends is a round trip to sqlx's SQLite thread and back, two wake-ups of
//! a sleeping thread, and a booking pays about eight of them while it holds the write lock. In a
//! virtual machine whose guest does not poll before halting (Firecracker's `guest_halt_poll_ns=0`)
//! a wake-up that lands on an idle vCPU waits for the host to run that vCPU again, which costs more
//! than the SQLite work of the statement. The lock is then held mostly by waiting, and throughput
//! falls while the cores are a third idle. This is the kernel's halt-polling done in the process,
//! and only under write contention: a `SCHED_IDLE` thread, which any runnable thread preempts, so
//! it spends CPU time nothing else wanted, keeps its CPU from halting until [`LINGER`] after the
//! last contended write.
//!
//! It stays off where spinning would cost real work: one CPU, or a cgroup CPU quota (a container
//! limit, which counts idle-class time too and would throttle the server).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// How long the poller spins after the last contended write: longer than the gaps between
/// bookings of a busy burst, short enough that an idle server stops at once.
pub const LINGER: Duration = Duration::from_millis(20);

/// Whether to poll (`--busy-poll`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Mode {
    /// On with two CPUs or more and no cgroup CPU quota.
    #[default]
    Auto,
    On,
    Off,
}

struct Poller {
    thread: Thread,
    epoch: Instant,
    /// When writes last queued, in nanoseconds since `epoch`.
    demanded: AtomicU64,
    /// The thread is spinning (not parked).
    spinning: AtomicBool,
}

static POLLER: OnceLock<Poller> = OnceLock::new();

/// Held while a poller is being started: one thread per process, even if two callers race.
static STARTING: Mutex<()> = Mutex::new(());

/// Starts the poller when `mode` allows it on this machine (once per process). Says whether it
/// runs, and why not.
pub fn start(mode: Mode) -> Result<(), &'static str> {
    match mode {
        Mode::Off => return Err("turned off"),
        Mode::Auto => {
            if std::thread::available_parallelism().map_or(1, usize::from) < 2 {
                return Err("one CPU");
            }
            if cpu_quota() {
                return Err("a cgroup CPU quota");
            }
        }
        Mode::On => {}
    }
    let _starting = STARTING.lock().unwrap_or_else(PoisonError::into_inner);
    if POLLER.get().is_some() {
        return Ok(());
    }
    let thread = std::thread::Builder::new()
        .name("busy-poll".into())
        .spawn(run)
        .map_err(|_| "no thread")?;
    let poller = POLLER.get_or_init(|| Poller {
        thread: thread.thread().clone(),
        epoch: Instant::now(),
        demanded: AtomicU64::new(0),
        spinning: AtomicBool::new(false),
    });
    // It waits for the poller to exist before its first look.
    poller.thread.unpark();
    Ok(())
}

/// Writes are queuing: spin for the next [`LINGER`]. Cheap when already spinning (one store).
pub fn demand() {
    let Some(poller) = POLLER.get() else {
        return;
    };
    poller
        .demanded
        .store(poller.since_epoch(), Ordering::Release);
    if !poller.spinning.load(Ordering::Acquire) {
        poller.thread.unpark();
    }
}

/// Whether the poller is spinning now (tests, the bench).
pub fn spinning() -> bool {
    POLLER
        .get()
        .is_some_and(|p| p.spinning.load(Ordering::Acquire))
}

impl Poller {
    fn since_epoch(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn wanted(&self) -> bool {
        let demanded = self.demanded.load(Ordering::Acquire);
        self.since_epoch().saturating_sub(demanded) < LINGER.as_nanos() as u64
    }
}

fn run() {
    // At any other priority, spinning would take CPU time from the server's own threads.
    if let Err(e) = lowest_priority() {
        tracing::warn!(error = %e, "busy poll: off, its thread could not take the idle priority");
        return;
    }
    let poller = loop {
        match POLLER.get() {
            Some(poller) => break poller,
            None => std::thread::park(),
        }
    };
    loop {
        poller.spinning.store(true, Ordering::Release);
        // Reading the clock keeps the CPU busy without `pause`, which a hypervisor may take for
        // a spinning lock waiter and deschedule the vCPU for (pause-loop exiting).
        while poller.wanted() {}
        poller.spinning.store(false, Ordering::Release);
        // A demand between the last check and the store above saw `spinning` and did not unpark.
        if !poller.wanted() {
            std::thread::park();
        }
    }
}

/// `SCHED_IDLE` for the calling thread: it runs only when no other thread wants its CPU.
#[cfg(target_os = "linux")]
fn lowest_priority() -> std::io::Result<()> {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: `param` outlives the call, which only reads it; pid 0 is the calling thread.
    match unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(not(target_os = "linux"))]
fn lowest_priority() -> std::io::Result<()> {
    Err(std::io::Error::other("SCHED_IDLE is Linux's"))
}

/// Whether the process's cgroup (as mounted at /sys/fs/cgroup, a container's own) limits its CPU
/// time.
fn cpu_quota() -> bool {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    limited(
        read("/sys/fs/cgroup/cpu.max").as_deref(),
        read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").as_deref(),
    )
}

/// Whether cgroup v2's `cpu.max` ("QUOTA PERIOD", QUOTA `max` when none) or else v1's
/// `cpu.cfs_quota_us` (-1 when none) sets a quota.
fn limited(v2_max: Option<&str>, v1_quota: Option<&str>) -> bool {
    match (v2_max, v1_quota) {
        (Some(max), _) => max.split_whitespace().next().is_some_and(|q| q != "max"),
        (None, Some(quota)) => quota.trim().parse::<i64>().is_ok_and(|q| q > 0),
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits until the poller is `spinning_now`; bounded generously, as an idle-class thread
    /// runs late on a busy machine.
    fn until(spinning_now: bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(20);
        while spinning() != spinning_now {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }

    #[test]
    fn the_poller_spins_on_demand_and_stops_once_writes_stop_queuing() {
        start(Mode::On).expect("a thread");
        demand();
        assert!(until(true), "a demand wakes the poller");
        assert!(until(false), "stops after LINGER without demand");
        demand();
        assert!(until(true), "parked, it wakes again");
        assert!(until(false));
    }

    #[test]
    fn off_never_starts_it() {
        assert_eq!(start(Mode::Off), Err("turned off"));
    }

    #[test]
    fn a_cgroup_cpu_quota_is_read_from_v2_then_v1() {
        assert!(!limited(Some("max 100000\n"), None));
        assert!(limited(Some("200000 100000\n"), Some("-1")));
        assert!(!limited(None, Some("-1\n")));
        assert!(limited(None, Some("150000\n")));
        assert!(!limited(None, None));
    }
}
