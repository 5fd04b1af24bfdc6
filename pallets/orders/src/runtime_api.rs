//! The runtime API integrators query orders through (`api.call.ordersApi.*` in polkadot.js,
//! or `state_call`).

use alloc::vec::Vec;
use codec::Codec;
use entrepot_primitives::{Balance, CurrencyId, EscrowInfo, OrderId};
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Inquiry into orders, merchants and escrows.
	///
	/// `Order` is `pallet_orders::OrderOf<Runtime>`, `Policy` is
	/// `pallet_orders::PolicyOf<Runtime>`, `Quote` is `pallet_orders::QuoteOf<Runtime>`. Pages hold at most the pallet's `MaxPageSize`
	/// orders, in storage order: pass the last id of a page as `start_after` to get the next.
	pub trait OrdersApi<AccountId, Order, Policy, Quote>
	where
		AccountId: Codec,
		Order: Codec,
		Policy: Codec,
		Quote: Codec,
	{
		/// An open order by id.
		fn order(order_id: OrderId) -> Option<Order>;
		/// A page of a customer's open orders.
		fn orders_of_customer(
			who: AccountId,
			start_after: Option<OrderId>,
			limit: u32,
		) -> Vec<(OrderId, Order)>;
		/// A page of a merchant's open orders.
		fn orders_of_merchant(
			who: AccountId,
			start_after: Option<OrderId>,
			limit: u32,
		) -> Vec<(OrderId, Order)>;
		/// A merchant's current policy.
		fn merchant_policy(who: AccountId) -> Option<Policy>;
		/// The state of an order's escrow, while it is open.
		fn escrow(order_id: OrderId) -> Option<EscrowInfo<AccountId>>;
		/// What the open escrows of a currency lock, together.
		fn total_locked(currency: CurrencyId) -> Balance;
		/// A merchant's open order by its payment reference.
		fn order_by_reference(merchant: AccountId, reference: H256) -> Option<(OrderId, Order)>;
		/// The price now of an order of `amount` in `currency` paid in `pay_currency`, for
		/// `place_order_exchanged`: what to pay, the rate, and the last block the quote may be
		/// used in. `None` if the pools cannot exchange it.
		fn quote(pay_currency: CurrencyId, currency: CurrencyId, amount: Balance) -> Option<Quote>;
	}
}
