//! Timers: review windows closing and rewards vesting, kept by the chain itself like the
//! orders pallet's timers.
//!
//! An order has at most one timer here: its review window's end while it waits for a review,
//! its vesting date once a review earned a reward. They live in the
//! [`entrepot_primitives::DueQueue`] of [`Timers`], [`TimerAt`] and [`TimerCursor`]; a review,
//! a full clawback or a vesting removes the order's timer at once. Due timers are fired oldest
//! first within [`Config::MaxTimerWeight`] in `on_initialize` and with what the block leaves in
//! `on_idle`; what no budget reached goes first in the next block. [`Pallet::poke`] fires a due
//! timer at once.
//!
//! A vesting whose order is still open (its after-sales window just closed, and the orders
//! pallet has not archived it yet, or a dispute froze it) is retried after
//! [`Config::RetryDelay`]; so is one whose mint failed, until [`Config::MaxTimerFailures`]
//! failures, when the reward lapses ([`Event::RewardLapsed`]). A reward below the token's
//! minimum balance, to a customer who holds none of the token, can never be minted as it
//! stands: it lapses when it vests, without retries (a customer who holds the token receives
//! rewards of any size).

use crate::impls::TimerQueue;
use crate::{pallet::*, types::*, OrderId, WeightInfo};
use entrepot_primitives::OrderDiscounts;
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	storage::with_storage_layer,
	traits::Get,
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError};

/// What a fired timer did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Fired {
	/// Nothing: its record has gone.
	Stale,
	/// An unreviewed completed order was forgotten.
	Expired,
	/// A reward was minted (or lapsed at once, below the token's minimum balance).
	Vested,
	/// The reward's order is still open: retried later.
	Postponed,
}

impl<T: Config> Pallet<T> {
	/// Fires due timers within `budget`; returns the weight used.
	pub(crate) fn process_timers(now: BlockNumberFor<T>, budget: Weight) -> Weight {
		TimerQueue::<T>::process(
			now,
			budget,
			Self::heaviest_timer(),
			T::DbWeight::get(),
			|order_id, timer| Self::process_timer(order_id, timer, now),
		)
	}

	pub(crate) fn do_poke(order_id: OrderId) -> DispatchResultWithPostInfo {
		let now = Self::now();
		let (_, timer) = TimerQueue::<T>::take_due(&order_id, now).ok_or(Error::<T>::NothingDue)?;

		// Only what acts: a postponed vesting (its order still open) fails the call and stays.
		let fired = Self::fire(order_id, timer.kind, now)?;
		ensure!(matches!(fired, Fired::Expired | Fired::Vested), Error::<T>::NothingDue);
		let used =
			Self::fired_weight(fired).saturating_add(TimerQueue::<T>::per_item(T::DbWeight::get()));
		Ok(PostDispatchInfo {
			actual_weight: Some(T::WeightInfo::poke().max(Self::heaviest_timer()).min(used)),
			pays_fee: frame_support::dispatch::Pays::Yes,
		})
	}

	fn fired_weight(fired: Fired) -> Weight {
		match fired {
			Fired::Stale => T::WeightInfo::timer_stale(),
			Fired::Expired => T::WeightInfo::timer_review_expiry(),
			Fired::Vested => T::WeightInfo::timer_vest(),
			Fired::Postponed => T::WeightInfo::timer_vest_postponed(),
		}
	}

	/// Fires one timer; a postponed or failed vesting is retried after [`Config::RetryDelay`]
	/// (a failing one at most [`Config::MaxTimerFailures`] times). Returns the weight of the
	/// branch taken.
	pub(crate) fn process_timer(order_id: OrderId, timer: Timer, now: BlockNumberFor<T>) -> Weight {
		let (error, failures) = match with_storage_layer(|| Self::fire(order_id, timer.kind, now)) {
			Ok(Fired::Postponed) => (None, timer.failures),
			Ok(fired) => return Self::fired_weight(fired),
			Err(error) => (Some(error), timer.failures.saturating_add(1)),
		};
		if failures >= T::MaxTimerFailures::get() {
			if let Some(pending) = Self::take_pending(order_id) {
				Self::deposit_event(Event::RewardLapsed {
					order_id,
					customer: pending.customer,
					amount: pending.reward,
				});
			}
			return Self::heaviest_timer();
		}
		let retry_at = now.saturating_add(T::RetryDelay::get());
		TimerQueue::<T>::schedule(order_id, retry_at, Timer { kind: timer.kind, failures });
		Self::deposit_event(Event::TimerPostponed {
			order_id,
			kind: timer.kind,
			error,
			failures,
			retry_at,
		});
		T::WeightInfo::timer_vest().max(T::WeightInfo::timer_vest_postponed())
	}

	/// The heaviest thing firing one timer can do.
	pub(crate) fn heaviest_timer() -> Weight {
		[
			T::WeightInfo::timer_stale(),
			T::WeightInfo::timer_review_expiry(),
			T::WeightInfo::timer_vest(),
			T::WeightInfo::timer_vest_postponed(),
		]
		.into_iter()
		.fold(Weight::zero(), |a, b| a.max(b))
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
				// Set at `review_by`: the window has closed.
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
				Self::vest_reward(order_id, &pending.customer, pending.reward)?;
				Ok(Fired::Vested)
			},
		}
	}
}
