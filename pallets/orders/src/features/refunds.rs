//! Refunds: requests (against the escrow, or against the holdback in the after-sales window),
//! the merchant's answer, returns of goods.

use crate::{pallet::*, types::*, Balance, OrderId, PaymentMode};
use frame_support::ensure;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_request_refund(
		who: T::AccountId,
		order_id: OrderId,
		amount: Balance,
		return_goods: bool,
		reason: RefundReason,
	) -> DispatchResult {
		let mut order = Self::get_order(order_id)?;
		ensure!(order.customer == who, Error::<T>::NotCustomer);
		ensure!(order.mode == PaymentMode::Escrow, Error::<T>::DirectPaymentFinal);
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let now = Self::now();
		match order.status {
			OrderStatus::Shipped { .. } => {
				ensure!(!order.escrow_refund_requested, Error::<T>::RefundAlreadyRequested);
				order.escrow_refund_requested = true;
			},
			OrderStatus::Settled => {
				let open = order.after_sales_until.is_some_and(|until| now < until);
				ensure!(open, Error::<T>::RefundWindowClosed);
				ensure!(!order.holdback_refund_requested, Error::<T>::RefundAlreadyRequested);
				order.holdback_refund_requested = true;
			},
			OrderStatus::Placed { .. } => return Err(Error::<T>::NotShippedYet.into()),
			_ => return Err(Error::<T>::RefundPending.into()),
		}
		ensure!(amount <= order.locked, Error::<T>::RefundExceedsLocked);
		let respond_by = Self::after(now, order.policy.refund_response_within)?;

		let request = RefundRequest { amount, return_goods, reason };
		order.status = OrderStatus::RefundRequested { request, respond_by };
		Self::schedule(order_id, respond_by, TimerKind::RefundResponse);
		Orders::<T>::insert(order_id, order);
		Self::deposit_event(Event::RefundRequested {
			order_id,
			amount,
			return_goods,
			reason,
			respond_by,
		});
		Ok(())
	}

	pub(crate) fn do_accept_refund(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Self::get_order(order_id)?;
		ensure!(order.merchant == who, Error::<T>::NotMerchant);
		let OrderStatus::RefundRequested { request, .. } = order.status else {
			return Err(Error::<T>::NoRefundRequested.into());
		};

		Self::accept(order_id, order, request, Self::now(), false)
	}

	/// A refund request is accepted (by the merchant or by its silence).
	pub(crate) fn accept(
		order_id: OrderId,
		mut order: OrderOf<T>,
		request: RefundRequest,
		now: BlockNumberFor<T>,
		auto: bool,
	) -> DispatchResult {
		Self::deposit_event(Event::RefundAccepted { order_id, auto });
		if request.return_goods {
			let return_by = Self::after(now, order.policy.return_window)?;
			order.status = OrderStatus::AwaitingReturn { request, return_by };
			Self::schedule(order_id, return_by, TimerKind::ReturnBy);
			Orders::<T>::insert(order_id, order);
			Ok(())
		} else {
			Self::conclude_refund(order_id, order, request, now)
		}
	}

	pub(crate) fn do_reject_refund(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let mut order = Self::get_order(order_id)?;
		ensure!(order.merchant == who, Error::<T>::NotMerchant);
		let OrderStatus::RefundRequested { respond_by, .. } = order.status else {
			return Err(Error::<T>::NoRefundRequested.into());
		};
		let now = Self::now();
		ensure!(now < respond_by, Error::<T>::ResponseWindowClosed);

		Self::deposit_event(Event::RefundRejected { order_id });
		if order.after_sales_until.is_some() {
			return Self::back_to_settled(order_id, order, now);
		}
		// Before settlement: shipped again, with a fresh auto-confirm clock, so the customer
		// has a full period to open a dispute.
		let confirm_by = Self::after(now, order.policy.auto_confirm_after)?;
		order.status = OrderStatus::Shipped { confirm_by };
		Self::schedule(order_id, confirm_by, TimerKind::AutoConfirm);
		Orders::<T>::insert(order_id, order);
		Ok(())
	}

	pub(crate) fn do_mark_returned(
		who: T::AccountId,
		order_id: OrderId,
		tracking: H256,
	) -> DispatchResult {
		let mut order = Self::get_order(order_id)?;
		ensure!(order.customer == who, Error::<T>::NotCustomer);
		let OrderStatus::AwaitingReturn { request, return_by } = order.status else {
			return Err(Error::<T>::NotAwaitingReturn.into());
		};
		let now = Self::now();
		ensure!(now < return_by, Error::<T>::ReturnWindowClosed);
		let confirm_by = Self::after(now, order.policy.return_window)?;

		order.status = OrderStatus::Returned { request, confirm_by };
		order.return_tracking = Some(tracking);
		Self::schedule(order_id, confirm_by, TimerKind::ReturnConfirm);
		Orders::<T>::insert(order_id, order);
		Self::deposit_event(Event::ReturnMarked { order_id, tracking, confirm_by });
		Ok(())
	}

	pub(crate) fn do_confirm_return(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Self::get_order(order_id)?;
		ensure!(order.merchant == who, Error::<T>::NotMerchant);
		let OrderStatus::Returned { request, .. } = order.status else {
			return Err(Error::<T>::NotReturned.into());
		};

		Self::return_confirmed(order_id, order, request, Self::now(), false)
	}

	/// The returned goods arrived (confirmed by the merchant or by its silence): the refund
	/// is paid and the order resumes.
	pub(crate) fn return_confirmed(
		order_id: OrderId,
		order: OrderOf<T>,
		request: RefundRequest,
		now: BlockNumberFor<T>,
		auto: bool,
	) -> DispatchResult {
		Self::deposit_event(Event::ReturnConfirmed { order_id, auto });
		Self::conclude_refund(order_id, order, request, now)
	}

	/// The goods were not returned in time: the request lapses and the order resumes as if
	/// there had been no request (settles before settlement, back to settled after).
	pub(crate) fn lapse(
		order_id: OrderId,
		order: OrderOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::deposit_event(Event::RefundLapsed { order_id });
		Self::resume(order_id, order, now)
	}
}
