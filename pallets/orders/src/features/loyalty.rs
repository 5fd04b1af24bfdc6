//! Loyalty: the orders side of the [`OrderDiscounts`] trait. A customer pays part of an open
//! escrow order with loyalty tokens (burnt by the loyalty pallet); the equivalent is returned
//! from the order's escrow through the ordinary refund path, so the merchant funds the
//! promotion its policy opted into, up to [`MerchantPolicy::loyalty_share`] of the order.

use crate::{pallet::*, types::*, Balance, OrderId, PaymentMode};
use entrepot_primitives::{DiscountableOrder, OrderDiscounts};
use frame_support::{ensure, storage::with_storage_layer};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	/// Whether an order can still be discounted: escrow, placed or shipped (not settled, not
	/// in a refund step, not disputed).
	pub(crate) fn ensure_discountable(order: &OrderOf<T>) -> DispatchResult {
		ensure!(order.mode == PaymentMode::Escrow, Error::<T>::DirectPaymentFinal);
		ensure!(!matches!(order.status, OrderStatus::Disputed { .. }), Error::<T>::OrderDisputed);
		ensure!(
			matches!(order.status, OrderStatus::Placed { .. } | OrderStatus::Shipped { .. }),
			Error::<T>::NotDiscountable
		);
		Ok(())
	}

	pub(crate) fn discountable_of(order: &OrderOf<T>) -> DiscountableOrder<T::AccountId> {
		DiscountableOrder {
			customer: order.customer.clone(),
			merchant: order.merchant.clone(),
			currency: order.currency.clone(),
			total: order.total,
			loyalty_share: order.policy.loyalty_share,
			discounted: order.discounted,
		}
	}

	pub(crate) fn do_discount(
		order_id: OrderId,
		customer: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let mut order = Orders::<T>::get(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(order.customer == *customer, Error::<T>::NotCustomer);
		Self::ensure_discountable(&order)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let view = Self::discountable_of(&order);
		ensure!(!view.loyalty_share.is_zero(), Error::<T>::LoyaltyNotAccepted);
		ensure!(amount <= view.discount_room(), Error::<T>::DiscountExceedsShare);
		ensure!(amount <= order.locked, Error::<T>::RefundExceedsLocked);
		let discounted = view.discounted.checked_add(amount).ok_or(Error::<T>::Overflow)?;

		Self::pay_refund(order_id, &mut order, amount)?;
		order.discounted = discounted;
		let reference = order.reference;
		Orders::<T>::insert(order_id, order);
		Self::deposit_event(Event::LoyaltyDiscountPaid { order_id, reference, amount, discounted });
		Ok(())
	}
}

impl<T: Config> OrderDiscounts<T::AccountId> for Pallet<T> {
	fn discountable(order: OrderId) -> Option<DiscountableOrder<T::AccountId>> {
		let o = Orders::<T>::get(order)?;
		Self::ensure_discountable(&o).ok()?;
		Some(Self::discountable_of(&o))
	}

	fn discount(order: OrderId, customer: &T::AccountId, amount: Balance) -> DispatchResult {
		with_storage_layer(|| Self::do_discount(order, customer, amount))
	}

	fn is_open(order: OrderId) -> bool {
		Orders::<T>::contains_key(order)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Benchmark set-up for the loyalty pallet: registers `merchant` (if needed) accepting
	/// loyalty tokens for up to `loyalty_share`, funds both accounts and has `customer` place
	/// an escrow order of `amount` (not shipped).
	pub fn benchmark_discountable_order(
		customer: &T::AccountId,
		merchant: &T::AccountId,
		amount: Balance,
		loyalty_share: sp_runtime::Permill,
	) -> Result<OrderId, sp_runtime::DispatchError> {
		use entrepot_primitives::CurrencyBenchmarkHelper;
		use sp_core::H256;
		let currency = T::BenchmarkHelper::currency();
		let funds = amount.saturating_mul(1_000);
		T::BenchmarkHelper::fund(customer, currency.clone(), funds);
		T::BenchmarkHelper::fund(merchant, currency.clone(), funds);
		if !Merchants::<T>::contains_key(merchant) {
			let bounds = PolicyBoundsInForce::<T>::get();
			let policy = MerchantPolicy {
				currencies: frame_support::BoundedVec::truncate_from(alloc::vec![currency.clone()]),
				ship_within: bounds.ship_within.max,
				auto_confirm_after: bounds.auto_confirm_after.min,
				refund_response_within: bounds.refund_response_within.min,
				return_window: bounds.return_window.min,
				after_sales_window: bounds.after_sales_window.min,
				holdback: sp_runtime::Permill::zero(),
				loyalty_share,
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
		Ok(order_id)
	}
}
