//! The runtime API a checkout page prices payments through (`api.call.exchangeApi.*` in
//! polkadot.js, or `state_call`).

use entrepot_primitives::{Balance, CurrencyId};
use sp_runtime::{FixedU128, Permill};

sp_api::decl_runtime_apis! {
	/// Prices in the pools, and the reference rates fees are checked against.
	pub trait ExchangeApi {
		/// What buying exactly `amount` of `receive` with `pay` costs now (pool fees included),
		/// by the cheapest route; `None` if no route can.
		fn cost(pay: CurrencyId, receive: CurrencyId, amount: Balance) -> Option<Balance>;
		/// What a transaction fee of `native_fee` (planck of ENT, e.g. a `payment_queryInfo`
		/// partial fee) costs in `asset` now; `None` if it cannot be paid in `asset` (no pool,
		/// no reference rate, or the pool's price beyond the deviation bound).
		fn fee_in(asset: CurrencyId, native_fee: Balance) -> Option<Balance>;
		/// A currency's reference rate (planck of ENT per planck of it) and the fee deviation
		/// bound.
		fn reference_rate(currency: CurrencyId) -> (Option<FixedU128>, Permill);
	}
}
