use leptos::prelude::*;

/// The widget's one polite live region: loading, errors and success are announced through it, so a
/// screen reader user hears what sighted users see change.
#[derive(Debug, Clone, Copy)]
pub struct Announcer(RwSignal<String>);

impl Announcer {
    /// Creates the announcer and provides it to the components below.
    pub fn provide() -> Self {
        let announcer = Announcer(RwSignal::new(String::new()));
        provide_context(announcer);
        announcer
    }

    /// Announces `message` (again, even when it equals the previous one).
    pub fn say(&self, message: impl Into<String>) {
        let message = message.into();
        let signal = self.0;
        // Screen readers only announce a change: clear first, then write on the next task.
        signal.set(String::new());
        set_timeout(
            move || signal.set(message),
            std::time::Duration::from_millis(50),
        );
    }
}

/// The widget's announcer. Take it when the component is created (event handlers and async
/// blocks run outside the component, where context cannot be read). A component mounted alone, as
/// in tests, gets one that nobody hears.
pub fn use_announcer() -> Announcer {
    use_context::<Announcer>().unwrap_or_else(|| Announcer(RwSignal::new(String::new())))
}

/// The visually hidden region itself; render it once, near the root.
#[component]
pub fn LiveRegion(
    /// The announcer whose messages this region reads out.
    announcer: Announcer,
) -> impl IntoView {
    view! {
        <div class="bw-visually-hidden bw-live" role="status" aria-live="polite" aria-atomic="true">
            {move || announcer.0.get()}
        </div>
    }
}
