//! How many turns this instance is taking right now: the in-process job
//! worker runs only a few jobs at once while callers wait for answers, so a
//! burst of calls is served as fast as with no worker, and the jobs it
//! leaves behind drain at full speed once the calls leave the CPU.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, Default)]
pub struct TurnsInFlight(Arc<AtomicUsize>);

/// One turn being taken; dropping it ends the turn.
pub struct InFlight(Arc<AtomicUsize>);

impl TurnsInFlight {
    pub fn enter(&self) -> InFlight {
        self.0.fetch_add(1, Ordering::Relaxed);
        InFlight(self.0.clone())
    }

    pub fn now(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_turns_until_each_is_dropped() {
        let turns = TurnsInFlight::default();
        let first = turns.enter();
        let second = turns.clone().enter();
        assert_eq!(turns.now(), 2);
        drop(first);
        assert_eq!(turns.now(), 1);
        drop(second);
        assert_eq!(turns.now(), 0);
    }
}
