//! Timers: every deadline is processed by the chain itself in `on_initialize`.
//!
//! Timers live in [`Timers`] by the block they are due in; [`TimerCursor`] is the oldest
//! block not fully processed. Each block processes at most [`Config::MaxTimersPerBlock`]
//! timers (and looks at as many blocks); what is left stays in place and is processed first
//! in the next block, so nothing overdue is ever skipped. A timer whose order has moved on
//! (another state, or a later deadline) is ignored: cancellation is lazy.
//!
//! `on_initialize` rather than `on_idle`: deadlines are promises to both parties and must be
//! kept even in full blocks; the per-block bound keeps the hook's weight known in advance.

use crate::impls::TimerQueue;
use crate::{pallet::*, types::*, OrderId, WeightInfo};
use frame_support::{storage::with_storage_layer, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError};

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

	/// Fires one timer; a failed action is retried after [`Config::RetryDelay`]. Returns the
	/// weight of the branch taken.
	pub(crate) fn process_timer(
		order_id: OrderId,
		kind: TimerKind,
		now: BlockNumberFor<T>,
	) -> Weight {
		match with_storage_layer(|| Self::fire(order_id, kind, now)) {
			Ok(true) => Self::timer_weight(kind),
			Ok(false) => T::WeightInfo::timer_stale(),
			Err(error) => {
				let retry_at = now.saturating_add(T::RetryDelay::get());
				match Self::schedule(retry_at, order_id, kind) {
					Ok(retry_at) => {
						Self::deposit_event(Event::TimerFailed { order_id, kind, error, retry_at })
					},
					Err(_) => {
						frame_support::defensive!("no room to retry a failed timer");
					},
				}
				Self::timer_weight(kind)
			},
		}
	}

	/// What `on_initialize` can take at most: `MaxTimersPerBlock` timers, each of the most
	/// expensive kind, plus the empty slots it looks at on the way.
	pub(crate) fn worst_case_timers_weight() -> Weight {
		let heaviest = [
			TimerKind::ShipBy,
			TimerKind::AutoConfirm,
			TimerKind::RefundResponse,
			TimerKind::ReturnBy,
			TimerKind::ReturnConfirm,
			TimerKind::AfterSalesEnd,
		]
		.into_iter()
		.map(Self::timer_weight)
		.fold(T::WeightInfo::timer_stale(), |a, b| a.max(b));
		let max = T::MaxTimersPerBlock::get();
		T::WeightInfo::on_initialize_idle().saturating_add(TimerQueue::<T>::worst_case(
			max,
			T::DbWeight::get(),
			heaviest,
		))
	}

	fn timer_weight(kind: TimerKind) -> Weight {
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
