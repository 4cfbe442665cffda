//! The entry point trunk builds: mount the widget.

fn main() {
    booking_widget::start();
}
