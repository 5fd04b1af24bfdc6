//! Disputes: the orders side of the [`OrderDisputes`] trait. A dispute freezes an order; its
//! resolution pays the frozen money out (refund to the customer, the rest to the merchant) and
//! archives the order.

use crate::{impls::TimerQueue, pallet::*, types::*, Balance, CurrencyId, OrderId, PaymentMode};
use entrepot_primitives::{
	DisputeScope, Escrow, FrozenOrder, OrderDisputes, OrderHooks, Payout, Side, H256,
};
use frame_support::{ensure, storage::with_storage_layer};
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Whether an order is in a state that `scope` can be disputed in by `opener`, and the
	/// state it is frozen from.
	pub(crate) fn disputable(
		order: &OrderOf<T>,
		scope: DisputeScope,
		opener: Side,
	) -> Result<FrozenFrom, DispatchError> {
		ensure!(order.mode == PaymentMode::Escrow, Error::<T>::DirectPaymentFinal);
		ensure!(!matches!(order.status, OrderStatus::Disputed { .. }), Error::<T>::OrderDisputed);
		ensure!(order.locked > 0, Error::<T>::NothingToDispute);
		let from = match &order.status {
			OrderStatus::Shipped { .. } => FrozenFrom::Shipped,
			OrderStatus::RefundRequested { request, .. } => FrozenFrom::RefundRequested(*request),
			OrderStatus::AwaitingReturn { request, .. } => FrozenFrom::AwaitingReturn(*request),
			OrderStatus::Returned { request, .. } => FrozenFrom::Returned(*request),
			OrderStatus::Settled => FrozenFrom::Settled,
			OrderStatus::Placed { .. } => return Err(Error::<T>::NotShippedYet.into()),
			_ => return Err(Error::<T>::DirectPaymentFinal.into()),
		};
		let after_sales = order.after_sales_until.is_some();
		match scope {
			DisputeScope::Escrow => ensure!(!after_sales, Error::<T>::AlreadySettled),
			DisputeScope::Holdback => {
				let open = order.after_sales_until.is_some_and(|until| Self::now() < until);
				ensure!(after_sales && open, Error::<T>::RefundWindowClosed);
			},
		}
		// A merchant's side of a plain shipped or settled order is kept by the clock: it may
		// only dispute a refund step the customer started.
		ensure!(
			opener == Side::Customer || !matches!(from, FrozenFrom::Shipped | FrozenFrom::Settled),
			Error::<T>::MerchantCannotDispute
		);
		Ok(from)
	}

	pub(crate) fn do_freeze(
		order_id: OrderId,
		scope: DisputeScope,
		opener: Side,
	) -> Result<FrozenOrder<T::AccountId>, DispatchError> {
		let mut order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		let from = Self::disputable(&order, scope, opener)?;

		order.status = OrderStatus::Disputed { scope, from };
		TimerQueue::<T>::cancel(&order_id);
		let frozen = FrozenOrder {
			customer: order.customer.clone(),
			merchant: order.merchant.clone(),
			currency: order.currency.clone(),
			amount: order.locked,
		};
		Orders::<T>::insert(order_id, order);
		Self::deposit_event(Event::OrderFrozen { order_id, scope, amount: frozen.amount });
		Ok(frozen)
	}

	pub(crate) fn do_resolve(order_id: OrderId, refund: Balance) -> Result<Payout, DispatchError> {
		let mut order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(matches!(order.status, OrderStatus::Disputed { .. }), Error::<T>::OrderNotDisputed);
		ensure!(refund <= order.locked, Error::<T>::RefundExceedsLocked);

		if refund > 0 {
			Self::pay_refund(order_id, &mut order, refund)?;
		}
		let gross = order.locked;
		let payout = if gross > 0 {
			let payout = T::Escrow::release(order_id, order.reference, gross)?;
			order.locked = 0;
			Self::record_payout(&mut order, payout);
			T::Hooks::on_settled(order_id, &order.merchant, order.currency.clone(), payout);
			payout
		} else {
			Payout::default()
		};
		Self::deposit_event(Event::DisputeSettled {
			order_id,
			reference: order.reference,
			refund,
			gross: payout.gross,
			fee: payout.fee,
			net: payout.net,
		});
		Self::archive(order_id, order)?;
		Ok(payout)
	}

	/// Puts a frozen order back where it was frozen: a state waiting for a party gets a fresh
	/// window for its deadline (the dispute took the time its old window had); a settled order
	/// keeps the end of its after-sales window, so that repeated disputes cannot stretch it.
	pub(crate) fn do_unfreeze(order_id: OrderId) -> DispatchResult {
		let mut order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		let OrderStatus::Disputed { from, .. } = order.status else {
			return Err(Error::<T>::OrderNotDisputed.into());
		};
		let now = Self::now();
		let policy = &order.policy;
		let status = match from {
			FrozenFrom::Shipped => {
				OrderStatus::Shipped { confirm_by: Self::after(now, policy.auto_confirm_after)? }
			},
			FrozenFrom::RefundRequested(request) => OrderStatus::RefundRequested {
				request,
				respond_by: Self::after(now, policy.refund_response_within)?,
			},
			FrozenFrom::AwaitingReturn(request) => OrderStatus::AwaitingReturn {
				request,
				return_by: Self::after(now, policy.return_window)?,
			},
			FrozenFrom::Returned(request) => OrderStatus::Returned {
				request,
				confirm_by: Self::after(now, policy.return_window)?,
			},
			FrozenFrom::Settled => OrderStatus::Settled,
		};

		Self::deposit_event(Event::OrderUnfrozen { order_id });
		order.status = status;
		if order.status == OrderStatus::Settled {
			return Self::back_to_settled(order_id, order, now);
		}
		if let Some((at, kind)) = Self::deadline(&order) {
			Self::schedule(order_id, at, kind);
		}
		Orders::<T>::insert(order_id, order);
		Ok(())
	}
}

impl<T: Config> OrderDisputes<T::AccountId> for Pallet<T> {
	fn parties(order: OrderId) -> Option<(T::AccountId, T::AccountId, CurrencyId)> {
		Orders::<T>::get(order).map(|o| (o.customer, o.merchant, o.currency))
	}

	fn reference(order: OrderId) -> Option<H256> {
		Orders::<T>::get(order).map(|o| o.reference)
	}

	fn paid_in(order: OrderId) -> Option<CurrencyId> {
		Orders::<T>::get(order).and_then(|o| o.exchange).map(|c| c.currency)
	}

	fn freeze(
		order: OrderId,
		scope: DisputeScope,
		opener: Side,
	) -> Result<FrozenOrder<T::AccountId>, DispatchError> {
		with_storage_layer(|| Self::do_freeze(order, scope, opener))
	}

	fn frozen(order: OrderId) -> Option<Balance> {
		Orders::<T>::get(order)
			.filter(|o| matches!(o.status, OrderStatus::Disputed { .. }))
			.map(|o| o.locked)
	}

	fn resolve(order: OrderId, refund: Balance) -> Result<Payout, DispatchError> {
		with_storage_layer(|| Self::do_resolve(order, refund))
	}

	fn unfreeze(order: OrderId) -> DispatchResult {
		with_storage_layer(|| Self::do_unfreeze(order))
	}

	fn platform_fees(order: OrderId) -> Option<Balance> {
		Orders::<T>::get(order).map(|o| o.fees)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Benchmark set-up for pallets that dispute orders: registers `merchant` (if needed),
	/// funds both accounts, has `customer` place an escrow order of `amount` and moves it to
	/// where `scope` can be disputed (shipped; or settled, with a 10% holdback, inside the
	/// after-sales window).
	pub fn benchmark_disputable_order(
		customer: &T::AccountId,
		merchant: &T::AccountId,
		scope: DisputeScope,
		amount: Balance,
	) -> Result<OrderId, DispatchError> {
		use entrepot_primitives::CurrencyBenchmarkHelper;
		let currency = T::BenchmarkHelper::currency();
		let funds = amount.saturating_mul(1_000);
		T::BenchmarkHelper::fund(customer, currency.clone(), funds);
		T::BenchmarkHelper::fund(merchant, currency.clone(), funds);
		if !Merchants::<T>::contains_key(merchant) {
			let bounds = PolicyBoundsInForce::<T>::get();
			let policy = MerchantPolicy {
				currencies: frame_support::BoundedVec::truncate_from(alloc::vec![currency.clone()]),
				ship_within: bounds.ship_within.min,
				auto_confirm_after: bounds.auto_confirm_after.min,
				refund_response_within: bounds.refund_response_within.min,
				return_window: bounds.return_window.min,
				after_sales_window: bounds.after_sales_window.max,
				holdback: sp_runtime::Permill::from_percent(10).min(bounds.max_holdback),
				loyalty_share: sp_runtime::Permill::zero(),
			};
			Self::do_register_merchant(merchant.clone(), policy)?;
		}
		let order_id = NextOrderId::<T>::get();
		let item = LineItem { product: H256::repeat_byte(1), quantity: 1, unit_price: amount };
		Self::do_place_order(
			customer.clone(),
			Checkout {
				merchant: merchant.clone(),
				currency,
				items: frame_support::BoundedVec::truncate_from(alloc::vec![item]),
				freight: 0,
				details_hash: H256::repeat_byte(2),
				encrypted_details: None,
				mode: PaymentMode::Escrow,
				reference: entrepot_primitives::legacy_reference(order_id),
			},
			None,
		)?;
		Self::do_mark_shipped(merchant.clone(), order_id, H256::repeat_byte(3))?;
		if scope == DisputeScope::Holdback {
			Self::do_confirm_receipt(customer.clone(), order_id)?;
		}
		Ok(order_id)
	}
}
