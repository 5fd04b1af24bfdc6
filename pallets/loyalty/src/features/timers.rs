//! Timers: review windows closing and rewards vesting, processed by the chain itself in
//! `on_initialize`, exactly like the orders pallet's timers.
//!
//! Timers live in [`Timers`] by the block they are due in; [`TimerCursor`] is the oldest
//! block not fully processed. Each block processes at most [`Config::MaxTimersPerBlock`]
//! timers (and looks at as many blocks); what is left stays in place and is processed first
//! in the next block, so nothing overdue is ever skipped. A timer whose record has gone (the
//! order was reviewed, or its reward clawed back entirely) is ignored.
//!
//! A vesting whose order is still open (its after-sales window just closed, and the orders
//! pallet has not archived it yet, or a dispute froze it) or whose mint failed is retried after
//! [`Config::RetryDelay`].

use crate::impls::TimerQueue;
use crate::{pallet::*, types::*, OrderId, WeightInfo};
use entrepot_primitives::OrderDiscounts;
use frame_support::{storage::with_storage_layer, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError};

/// What a fired timer did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Fired {
	/// Nothing: its record has gone.
	Stale,
	/// An unreviewed completed order was forgotten.
	Expired,
	/// A reward was minted.
	Vested,
	/// The reward's order is still open (or, defensively, its time has not come): retried
	/// later.
	Postponed,
}

impl<T: Config> Pallet<T> {
	/// Processes the due timers; returns the weight used.
	pub(crate) fn process_timers(now: BlockNumberFor<T>) -> Weight {
		let max = T::MaxTimersPerBlock::get();
		let mut weight = T::WeightInfo::on_initialize_idle();
		weight.saturating_accrue(TimerQueue::<T>::process(
			now,
			max,
			T::DbWeight::get(),
			|(order_id, kind)| Self::process_timer(order_id, kind, now),
		));
		weight
	}

	/// Fires one timer; a failed or postponed action is retried after [`Config::RetryDelay`].
	/// Returns the weight of the branch taken.
	pub(crate) fn process_timer(
		order_id: OrderId,
		kind: TimerKind,
		now: BlockNumberFor<T>,
	) -> Weight {
		let error = match with_storage_layer(|| Self::fire(order_id, kind, now)) {
			Ok(Fired::Stale) => return T::WeightInfo::timer_stale(),
			Ok(Fired::Expired) => return T::WeightInfo::timer_review_expiry(),
			Ok(Fired::Vested) => return T::WeightInfo::timer_vest(),
			Ok(Fired::Postponed) => None,
			Err(error) => Some(error),
		};
		let retry_at = now.saturating_add(T::RetryDelay::get());
		match Self::schedule(retry_at, order_id, kind) {
			Ok(retry_at) => {
				Self::deposit_event(Event::TimerPostponed { order_id, kind, error, retry_at })
			},
			Err(_) => {
				frame_support::defensive!("no room to retry a vesting");
			},
		}
		T::WeightInfo::timer_vest().max(T::WeightInfo::timer_vest_postponed())
	}

	/// What `on_initialize` can take at most: `MaxTimersPerBlock` timers, each of the most
	/// expensive kind, plus the empty slots it looks at on the way.
	pub(crate) fn worst_case_timers_weight() -> Weight {
		let heaviest = [
			T::WeightInfo::timer_stale(),
			T::WeightInfo::timer_review_expiry(),
			T::WeightInfo::timer_vest(),
			T::WeightInfo::timer_vest_postponed(),
		]
		.into_iter()
		.fold(Weight::zero(), |a, b| a.max(b));
		let max = T::MaxTimersPerBlock::get();
		T::WeightInfo::on_initialize_idle().saturating_add(TimerQueue::<T>::worst_case(
			max,
			T::DbWeight::get(),
			heaviest,
		))
	}

	/// Runs a timer's action if its record is still there and its time has come.
	pub(crate) fn fire(
		order_id: OrderId,
		kind: TimerKind,
		now: BlockNumberFor<T>,
	) -> Result<Fired, DispatchError> {
		match kind {
			TimerKind::ReviewExpiry => {
				if !CompletedOrders::<T>::contains_key(order_id) {
					return Ok(Fired::Stale);
				}
				// Set at `review_by` (or a later block with room): the window has closed.
				CompletedOrders::<T>::remove(order_id);
				Self::deposit_event(Event::ReviewWindowClosed { order_id });
				Ok(Fired::Expired)
			},
			TimerKind::Vest => {
				let Some(pending) = PendingRewards::<T>::get(order_id) else {
					return Ok(Fired::Stale);
				};
				if pending.vests_at > now || T::Orders::is_open(order_id) {
					return Ok(Fired::Postponed);
				}
				let pending = Self::take_pending(order_id).ok_or(Error::<T>::Overflow)?;
				Self::mint_reward(order_id, &pending.customer, pending.reward)?;
				Ok(Fired::Vested)
			},
		}
	}
}
