//! The loyalty token (`pallet-loyalty`): verified-purchase reviews earn `LOY`, a `pallet-assets`
//! asset administered by the loyalty pallet's account, and merchants who opt in accept it as
//! part payment of their orders.
//!
//! The token (sufficient, minimum balance [`LOYALTY_MIN_BALANCE`]) and the currencies' rates
//! are created at genesis (see the genesis presets; a chain started before `LOY` was sufficient
//! is migrated by [`crate::migrations::loyalty`]);
//! governance ([`PlatformAdminOrigin`]) changes rates and limits with
//! `Loyalty::set_currency_rate` and `Loyalty::set_limits`.

use frame_support::{parameter_types, traits::ConstU32, weights::Weight, PalletId};
use pallet_loyalty::{LimitsOf, LoyaltyLimits};
use sp_runtime::Permill;

use super::system::RuntimeBlockWeights;

use crate::{
	governance::PlatformAdminOrigin, AssetId, Assets, Balance, BlockNumber, Orders, Runtime, DAYS,
	MINUTES,
};

/// Asset id of the loyalty token, `LOY`.
pub const LOYALTY_TOKEN: AssetId = 3;
/// Decimal places of `LOY`, as the stablecoins'.
pub const LOYALTY_DECIMALS: u8 = 6;
/// One whole `LOY`.
pub const LOY: Balance = 1_000_000;
/// The smallest `LOY` balance an account may hold: 0.01 LOY, worth about the stablecoins'
/// minimum (a LOY is worth about a USDX). `LOY` is sufficient, so an account that holds only
/// stablecoins can receive rewards; the minimum keeps filling state with dust accounts costly.
pub const LOYALTY_MIN_BALANCE: Balance = LOY / 100;

parameter_types! {
	pub const LoyaltyTokenId: AssetId = LOYALTY_TOKEN;
	/// The loyalty pallet's account (`modlent/loya…`) owns and administers the token.
	pub const LoyaltyPalletId: PalletId = PalletId(*b"ent/loya");
	/// A vesting that failed, or whose order is still open, is tried again later.
	pub const LoyaltyRetryDelay: BlockNumber = 10 * MINUTES;
	/// A reward is worth at most half the platform fees its order paid: a customer and a
	/// merchant who are one person lose half of every fee they pay to farm tokens.
	pub const RewardShareOfFees: Permill = Permill::from_percent(50);
	/// Due timers may use a twentieth of every block in `on_initialize`; `on_idle` gives them
	/// what the block leaves over.
	pub LoyaltyTimerWeight: Weight = RuntimeBlockWeights::get().max_block / 20;
	/// Until governance sets others: at most 50 LOY per order and 200 LOY per account a week;
	/// an order may be reviewed for 30 days after its receipt is confirmed.
	pub DefaultLoyaltyLimits: LimitsOf<Runtime> = LoyaltyLimits {
		per_order_cap: 50 * LOY,
		per_period_cap: 200 * LOY,
		period: 7 * DAYS,
		review_window: 30 * DAYS,
	};
}

impl pallet_loyalty::Config for Runtime {
	type Assets = Assets;
	type TokenId = LoyaltyTokenId;
	type PalletId = LoyaltyPalletId;
	type Orders = Orders;
	/// Rates, limits, pausing: Root, two thirds of the council, or a `platform` track
	/// referendum.
	type AdminOrigin = PlatformAdminOrigin;
	type RewardShareOfFees = RewardShareOfFees;
	type MaxTimerWeight = LoyaltyTimerWeight;
	/// A reward whose mint failed every 10 minutes for a day lapses.
	type MaxTimerFailures = ConstU32<144>;
	type MaxRecentReviews = ConstU32<20>;
	type MaxPageSize = ConstU32<20>;
	type RetryDelay = LoyaltyRetryDelay;
	type DefaultLimits = DefaultLoyaltyLimits;
	type WeightInfo = pallet_loyalty::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::DiscountableOrders;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use crate::{genesis_config_presets::USDX, AccountId, Balances, UNITS};
	use entrepot_primitives::{CurrencyId, LoyaltyBenchmarkHelper, NativeOrWithId, OrderId};
	use frame_support::traits::fungible::Mutate;
	use sp_runtime::Permill;

	/// Real escrow orders in USDX (the currency the orders benchmarks pay in), placed through
	/// the orders pallet.
	pub struct DiscountableOrders;
	impl LoyaltyBenchmarkHelper<AccountId> for DiscountableOrders {
		fn currency() -> CurrencyId {
			NativeOrWithId::WithId(USDX)
		}

		fn discountable_order(
			customer: &AccountId,
			merchant: &AccountId,
			amount: Balance,
			loyalty_share: Permill,
		) -> OrderId {
			// Compiled only with `runtime-benchmarks`: a failed set-up must stop the benchmark,
			// it is never on chain.
			pallet_orders::Pallet::<Runtime>::benchmark_discountable_order(
				customer,
				merchant,
				amount,
				loyalty_share,
			)
			.expect("benchmark set-up: a discountable order")
		}

		fn endow(who: &AccountId) {
			// A customer's usual ENT account (holding LOY needs none: the token is sufficient).
			let _ = Balances::mint_into(who, 1_000 * UNITS);
		}
	}
}
