//! The runtime API integrators query loyalty through (`api.call.loyaltyApi.*` in polkadot.js,
//! or `state_call`).

use crate::{CurrencyRate, Reputation};
use alloc::vec::Vec;
use codec::Codec;
use entrepot_primitives::{CurrencyId, OrderId};

sp_api::decl_runtime_apis! {
	/// Inquiry into merchants' reputation and reviews, reviewable orders and pending rewards.
	///
	/// `Review` is `pallet_loyalty::ReviewOf<Runtime>`, `Completed` is
	/// `pallet_loyalty::CompletedOrderOf<Runtime>`, `Pending` is
	/// `pallet_loyalty::PendingRewardOf<Runtime>`. Review pages hold at most the pallet's
	/// `MaxPageSize` reviews, newest first: pass the number already read as `skip`.
	pub trait LoyaltyApi<AccountId, Review, Completed, Pending>
	where
		AccountId: Codec,
		Review: Codec,
		Completed: Codec,
		Pending: Codec,
	{
		/// A merchant's rating over all its reviews (average: `sum / count`).
		fn reputation(merchant: AccountId) -> Reputation;
		/// A page of a merchant's recent reviews, newest first.
		fn recent_reviews(merchant: AccountId, skip: u32, limit: u32) -> Vec<Review>;
		/// A completed order waiting for its customer's review.
		fn completed_order(order_id: OrderId) -> Option<Completed>;
		/// A reviewed order's reward waiting to vest.
		fn pending_reward(order_id: OrderId) -> Option<Pending>;
		/// The reward and conversion rate of a currency.
		fn currency_rate(currency: CurrencyId) -> Option<CurrencyRate>;
	}
}
