//! Timers: every deadline is kept by the chain itself, and anyone may fire an overdue one.
//!
//! An open order has exactly one timer, the deadline of its current state (see
//! [`Pallet::deadline`]), kept in the [`entrepot_primitives::DueQueue`] of [`Timers`],
//! [`TimerAt`] and [`TimerCursor`]. A state change replaces the timer and archiving removes it,
//! so no stale timer is ever left behind and a flood of cancelled orders leaves nothing for
//! later blocks to wade through.
//!
//! Due timers are fired oldest first: within [`Config::MaxTimerWeight`] in `on_initialize`
//! (deadlines are promises to both parties, kept even in full blocks), then with what the
//! block leaves in `on_idle`. What no budget reached stays in place and goes first in the next
//! block: nothing is ever skipped or dropped. [`Pallet::poke`] fires an overdue deadline at
//! once, from a transaction that pays for itself.
//!
//! A timer whose action fails changes nothing (its own storage layer) and is retried after
//! [`Config::RetryDelay`]. After [`Config::MaxTimerFailures`] failures (say, a payout the
//! merchant's dead asset account cannot receive) the order is closed with its deadline's
//! outcome, each part paid on its own; dust a recipient cannot receive goes to the platform,
//! and a larger part that cannot be delivered keeps its timer retrying (and reported) until it
//! can be.

use crate::impls::TimerQueue;
use crate::{pallet::*, types::*, Balance, OrderId, PaymentMode, WeightInfo};
use entrepot_primitives::{Escrow, OrderHooks};
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	storage::with_storage_layer,
	traits::Get,
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError, DispatchResult};

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
		ensure!(Orders::<T>::contains_key(order_id), Error::<T>::OrderNotFound);
		let now = Self::now();
		let (_, timer) = TimerQueue::<T>::take_due(&order_id, now).ok_or(Error::<T>::NothingDue)?;

		// A timer is never due before its state's deadline: it acts. If it did not, the whole
		// call fails and the timer stays where it was.
		ensure!(Self::fire(order_id, timer.kind, now)?, Error::<T>::NothingDue);
		// The deadline's own branch, the queue's bookkeeping and the order read above; never
		// more than was declared.
		let used = Self::timer_weight(timer.kind)
			.saturating_add(TimerQueue::<T>::per_item(T::DbWeight::get()))
			.saturating_add(T::DbWeight::get().reads(1));
		let declared = T::WeightInfo::poke().max(Self::heaviest_timer());
		Ok(PostDispatchInfo {
			actual_weight: Some(declared.min(used)),
			pays_fee: frame_support::dispatch::Pays::Yes,
		})
	}

	/// Fires one timer; a failed action is retried after [`Config::RetryDelay`], or, after
	/// [`Config::MaxTimerFailures`] failures, the order is closed. Returns the weight of the
	/// branch taken.
	pub(crate) fn process_timer(order_id: OrderId, timer: Timer, now: BlockNumberFor<T>) -> Weight {
		let error = match with_storage_layer(|| Self::fire(order_id, timer.kind, now)) {
			Ok(true) => return Self::timer_weight(timer.kind),
			Ok(false) => return T::WeightInfo::timer_stale(),
			Err(error) => error,
		};
		let failures = timer.failures.saturating_add(1);
		// Closing fails while a part that is not dust cannot be delivered: then the timer keeps
		// being retried, and reported, as before.
		if failures >= T::MaxTimerFailures::get()
			&& with_storage_layer(|| Self::close_after_failures(order_id, timer.kind)).is_ok()
		{
			return Self::timer_weight(timer.kind)
				.saturating_add(T::WeightInfo::timer_closed_after_failures());
		}
		let retry_at = now.saturating_add(T::RetryDelay::get());
		TimerQueue::<T>::schedule(order_id, retry_at, Timer { kind: timer.kind, failures });
		Self::deposit_event(Event::TimerFailed {
			order_id,
			kind: timer.kind,
			error,
			failures,
			retry_at,
		});
		Self::timer_weight(timer.kind)
	}

	/// A timer's action kept failing: the order is closed with the outcome its deadline
	/// would have had (what the deadline refunds goes to the customer, the rest to the
	/// merchant), each payout on its own, so that one side's dead account does not hold up the
	/// other's money. A part whose recipient cannot receive it goes to the platform's fee
	/// account only if it is dust (below the currency's minimum balance); a part that is not
	/// dust fails the close, and the timer keeps being retried and reported until it can be
	/// delivered.
	pub(crate) fn close_after_failures(order_id: OrderId, kind: TimerKind) -> DispatchResult {
		let mut order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		let (mut refunded, mut paid, mut forfeited) = (0, 0, 0);
		if order.mode == PaymentMode::Escrow && order.locked > 0 {
			let to_customer = match &order.status {
				OrderStatus::Placed { .. } => order.locked,
				OrderStatus::RefundRequested { request, .. } if !request.return_goods => {
					request.amount.min(order.locked)
				},
				OrderStatus::Returned { request, .. } => request.amount.min(order.locked),
				_ => 0,
			};
			if to_customer > 0 {
				if with_storage_layer(|| Self::pay_refund(order_id, &mut order, to_customer))
					.is_ok()
				{
					refunded = to_customer;
				} else {
					Self::forfeit(order_id, &mut order, to_customer)?;
					forfeited = to_customer;
				}
			}
			let to_merchant = order.locked;
			if to_merchant > 0 {
				match with_storage_layer(|| {
					T::Escrow::release(order_id, order.reference, to_merchant)
				}) {
					Ok(payout) => {
						order.locked = 0;
						Self::record_payout(&mut order, payout);
						T::Hooks::on_settled(
							order_id,
							&order.merchant,
							order.currency.clone(),
							payout,
						);
						paid = to_merchant;
					},
					Err(_) => {
						Self::forfeit(order_id, &mut order, to_merchant)?;
						forfeited = forfeited.saturating_add(to_merchant);
					},
				}
			}
		}
		Self::deposit_event(Event::OrderClosedAfterFailures {
			order_id,
			reference: order.reference,
			kind,
			refunded,
			paid,
			forfeited,
		});
		Self::archive(order_id, order)
	}

	/// Pays `amount` of the order's locked dust to the platform's fee account, as a fee.
	fn forfeit(order_id: OrderId, order: &mut OrderOf<T>, amount: Balance) -> DispatchResult {
		T::Escrow::forfeit(order_id, order.reference, amount)?;
		order.locked = order.locked.saturating_sub(amount);
		order.paid_out = order.paid_out.saturating_add(amount);
		order.fees = order.fees.saturating_add(amount);
		Ok(())
	}

	/// The heaviest thing firing one timer can do: its action, failing, and then closing the
	/// order.
	pub(crate) fn heaviest_timer() -> Weight {
		[
			TimerKind::ShipBy,
			TimerKind::AutoConfirm,
			TimerKind::RefundResponse,
			TimerKind::ReturnBy,
			TimerKind::ReturnConfirm,
			TimerKind::AfterSalesEnd,
		]
		.into_iter()
		.map(Self::timer_weight)
		.fold(T::WeightInfo::timer_stale(), |a, b| a.max(b))
		.saturating_add(T::WeightInfo::timer_closed_after_failures())
	}

	pub(crate) fn timer_weight(kind: TimerKind) -> Weight {
		match kind {
			TimerKind::ShipBy => T::WeightInfo::timer_ship_by(),
			TimerKind::AutoConfirm => T::WeightInfo::timer_auto_confirm(),
			TimerKind::RefundResponse => T::WeightInfo::timer_refund_response(),
			TimerKind::ReturnBy => T::WeightInfo::timer_return_by(),
			TimerKind::ReturnConfirm => T::WeightInfo::timer_return_confirm(),
			TimerKind::AfterSalesEnd => T::WeightInfo::timer_after_sales_end(),
		}
	}

	/// Runs a timer's action if its order is still in the state it was set for and the
	/// deadline has come. Returns whether it acted.
	pub(crate) fn fire(
		order_id: OrderId,
		kind: TimerKind,
		now: BlockNumberFor<T>,
	) -> Result<bool, DispatchError> {
		let Some(order) = Orders::<T>::get(order_id) else { return Ok(false) };
		match (kind, order.status.clone()) {
			(TimerKind::ShipBy, OrderStatus::Placed { ship_by })
			| (TimerKind::ShipBy, OrderStatus::DirectPaid { ship_by })
				if ship_by <= now =>
			{
				Self::expire(order_id, order)
			},
			(TimerKind::AutoConfirm, OrderStatus::Shipped { confirm_by })
			| (TimerKind::AutoConfirm, OrderStatus::DirectShipped { confirm_by })
				if confirm_by <= now =>
			{
				Self::confirm(order_id, order, now, true)
			},
			(TimerKind::RefundResponse, OrderStatus::RefundRequested { request, respond_by })
				if respond_by <= now =>
			{
				Self::accept(order_id, order, request, now, true)
			},
			(TimerKind::ReturnBy, OrderStatus::AwaitingReturn { return_by, .. })
				if return_by <= now =>
			{
				Self::lapse(order_id, order, now)
			},
			(TimerKind::ReturnConfirm, OrderStatus::Returned { request, confirm_by })
				if confirm_by <= now =>
			{
				Self::return_confirmed(order_id, order, request, now, true)
			},
			(TimerKind::AfterSalesEnd, OrderStatus::Settled)
				if order.after_sales_until.is_some_and(|until| until <= now) =>
			{
				Self::finish_after_sales(order_id, order)
			},
			_ => return Ok(false),
		}?;
		Ok(true)
	}
}
