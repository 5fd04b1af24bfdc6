//! The pallet's logic, one feature per file: each call's `do_*` function reads, checks
//! everything, then writes.

mod disputes;
mod lifecycle;
mod loyalty;
mod merchants;
mod refunds;
mod timers;
