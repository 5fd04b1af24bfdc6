//! The payment core: merchants and orders (`pallet-orders`, the business layer) and escrow
//! (`pallet-escrow`, the payment layer, the only code that moves escrowed money).
//!
//! Escrowed money leaves the customer's account for the escrow account (`PalletId(*b"ent/escr")`,
//! keyless), where it is held under a named reason: ENT through `pallet-balances`, stablecoins
//! through `pallet-assets-holder`. Funds under a freeze (a vote lock) cannot be escrowed, and
//! escrowed ENT cannot be voted with. Platform fees go to the platform account, the same
//! account transaction fees go to, which is the treasury's.

use entrepot_primitives::CurrencyId;
use frame_support::{
	parameter_types,
	traits::{
		fungible::{NativeFromLeft, UnionOf},
		ConstU32,
	},
	weights::Weight,
	PalletId,
};
use pallet_orders::{PolicyBounds, WindowBounds};
use sp_runtime::Permill;

use super::{monetary::PlatformAccount, system::RuntimeBlockWeights};
use crate::{
	currency::deposit, governance::PlatformAdminOrigin, AccountId, Assets, AssetsHolder, Balance,
	Balances, BlockNumber, Escrow, Runtime, RuntimeHoldReason, DAYS, HOURS, MINUTES, UNITS,
};

/// Every currency an order can be paid in: ENT (left) and `pallet-assets` assets (right).
pub type NativeAndAssets = UnionOf<Balances, Assets, NativeFromLeft, CurrencyId, AccountId>;

/// Holds on every currency: ENT holds in `pallet-balances`, asset holds in
/// `pallet-assets-holder`.
pub type NativeAndAssetHolds =
	UnionOf<Balances, AssetsHolder, NativeFromLeft, CurrencyId, AccountId>;

parameter_types! {
	/// The escrow account's id: it holds every order's escrowed money.
	pub const EscrowPalletId: PalletId = PalletId(*b"ent/escr");
	/// The platform fee can never be set above 10%.
	pub const MaxPlatformFee: Permill = Permill::from_percent(10);
	/// A merchant's registration holds 10 ENT, returned when it unregisters.
	pub const MerchantDeposit: Balance = 10 * UNITS;
	/// An order holds 0.1 ENT from the customer until it is archived: five storage items (the
	/// record of about 400 bytes without its line items and document, its two index entries,
	/// its timer's two entries) and 500 bytes...
	pub const OrderDepositBase: Balance = deposit(5, 500);
	/// ...plus 100 µENT per byte of its line items and of the document encrypted for the
	/// merchant (a one-item order without a document: 54 bytes, 0.0054 ENT more).
	pub const OrderDepositPerByte: Balance = deposit(0, 1);
	/// A timer that could not pay out (say, a payee that cannot receive) is tried again later.
	pub const RetryDelay: BlockNumber = 10 * MINUTES;
	/// A quote for an order paid in another currency holds for a minute.
	pub const QuoteLifetime: BlockNumber = MINUTES;
	/// Due timers may use a tenth of every block in `on_initialize`; `on_idle` gives them what
	/// the block leaves over.
	pub OrdersTimerWeight: Weight = RuntimeBlockWeights::get().max_block / 10;
	/// What governance lets merchants choose until it sets other bounds.
	pub DefaultPolicyBounds: PolicyBounds<BlockNumber> = PolicyBounds {
		ship_within: WindowBounds { min: HOURS, max: 60 * DAYS },
		auto_confirm_after: WindowBounds { min: DAYS, max: 90 * DAYS },
		refund_response_within: WindowBounds { min: HOURS, max: 14 * DAYS },
		return_window: WindowBounds { min: DAYS, max: 30 * DAYS },
		after_sales_window: WindowBounds { min: DAYS, max: 180 * DAYS },
		max_holdback: Permill::from_percent(30),
	};
}

impl pallet_escrow::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Holds = NativeAndAssetHolds;
	type Currencies = NativeAndAssets;
	/// The platform fee: Root, two thirds of the council, or a `platform` track referendum.
	type AdminOrigin = PlatformAdminOrigin;
	type PalletId = EscrowPalletId;
	/// The platform account, which is the treasury's.
	type FeeAccount = PlatformAccount;
	type MaxPlatformFee = MaxPlatformFee;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::FundWithUsdx;
}

impl pallet_orders::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type NativeBalance = Balances;
	/// Order deposits are held in ENT, or in a stablecoin by a customer without ENT.
	type Holds = NativeAndAssetHolds;
	type Escrow = Escrow;
	/// Orders paid in another currency are exchanged in the pools at checkout.
	type Exchange = crate::Exchange;
	/// A quote holds for a minute.
	type QuoteLifetime = QuoteLifetime;
	/// Loyalty hears of every completed and refunded order.
	type Hooks = (crate::Loyalty,);
	/// Policy bounds: Root, two thirds of the council, or a `platform` track referendum.
	type AdminOrigin = PlatformAdminOrigin;
	type MerchantDeposit = MerchantDeposit;
	type OrderDepositBase = OrderDepositBase;
	type OrderDepositPerByte = OrderDepositPerByte;
	type MaxCurrencies = ConstU32<8>;
	type MaxItems = ConstU32<32>;
	type MaxEncryptedLen = ConstU32<2048>;
	type MaxTimerWeight = OrdersTimerWeight;
	/// A timer retried every 10 minutes for a day (144 times) closes its order with its
	/// deadline's outcome, each part paid on its own; dust a recipient cannot receive goes to
	/// the platform, a larger part keeps being retried.
	type MaxTimerFailures = ConstU32<144>;
	type MaxPageSize = ConstU32<100>;
	type RetryDelay = RetryDelay;
	type DefaultPolicyBounds = DefaultPolicyBounds;
	type WeightInfo = pallet_orders::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::FundWithUsdx;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use crate::genesis_config_presets::USDX;
	use entrepot_primitives::{Balance, CurrencyBenchmarkHelper, NativeOrWithId};
	use frame_support::traits::fungibles::Mutate;

	/// Benchmarks pay in the genesis stablecoin `USDX` and fund accounts by minting.
	pub struct FundWithUsdx;
	impl CurrencyBenchmarkHelper<AccountId> for FundWithUsdx {
		fn currency() -> CurrencyId {
			NativeOrWithId::WithId(USDX)
		}
		fn fund(who: &AccountId, currency: CurrencyId, amount: Balance) {
			// Benchmark set-up: a failure shows up as a failing benchmark.
			let _ = NativeAndAssets::mint_into(NativeOrWithId::Native, who, 1_000 * UNITS);
			let _ = NativeAndAssets::mint_into(currency, who, amount);
		}
		/// Orders paid in `CNYX`, exchanged for `USDX` in the genesis pools.
		fn pay_currency() -> CurrencyId {
			NativeOrWithId::WithId(crate::genesis_config_presets::CNYX)
		}
	}
}
