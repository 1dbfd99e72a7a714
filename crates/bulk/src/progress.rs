//! The progress bar: done, failed, rate and ETA, on stderr only when stderr is a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts lines as they finish and shows them, when there is a terminal to show them on.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    failed: AtomicU64,
}

impl Progress {
    /// A bar for `total` lines of which `already_done` were done by an earlier run, drawn on stderr if it
    /// is a terminal (nothing otherwise).
    pub fn stderr(total: u64, already_done: u64) -> Self {
        if std::io::stderr().is_terminal() {
            Self::with_bar(
                ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
                already_done,
            )
        } else {
            Self::hidden()
        }
    }

    /// No bar: only the counts.
    pub fn hidden() -> Self {
        Self {
            bar: None,
            failed: AtomicU64::new(0),
        }
    }

    fn with_bar(bar: ProgressBar, already_done: u64) -> Self {
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} done, {msg} failed, {per_sec}, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_position(already_done);
        bar.reset_eta();
        bar.set_message("0");
        bar.enable_steady_tick(Duration::from_millis(200));
        Self {
            bar: Some(bar),
            failed: AtomicU64::new(0),
        }
    }

    /// One more line done; `failed` when it failed.
    pub fn line_done(&self, failed: bool) {
        if failed {
            let n = self
                .failed
                .fetch_add(1, Ordering::Relaxed)
                .saturating_add(1);
            if let Some(bar) = &self.bar {
                bar.set_message(n.to_string());
            }
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// `n` more lines done that needed no call (blank or invalid lines, found as the input is read).
    pub fn skip(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Prints `text` above the bar (or on stderr when there is no bar).
    pub fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// Lines that failed so far.
    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
