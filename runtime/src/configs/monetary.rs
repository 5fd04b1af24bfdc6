//! The native token `ENT` and transaction fees.
//!
//! Fees are sized for a payment chain: a transfer must cost a small fraction of a typical
//! order. One unit of weight (a picosecond of reference compute) costs 5 planck, and every
//! byte of a transaction costs 1 µENT. A signed `transfer_keep_alive` (0.39 ms of weight with
//! the base extrinsic, about 150 bytes) costs 0.0026 ENT as measured on the dev chain: on a
//! 20 ENT order, about a hundredth of a percent. The fee multiplier is constant: merchants and
//! customers can quote fees in advance.
//!
//! Fees are paid to the platform account, which is also the treasury's account: `pallet-treasury`
//! is configured with the same [`PlatformPalletId`], so governance spends the fees it collects.

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU128, ConstU32, ConstU8, VariantCountOf},
	weights::ConstantMultiplier,
	PalletId,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::traits::{AccountIdConversion, One};

use crate::{
	AccountId, Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	System, EXISTENTIAL_DEPOSIT, MICRO_UNITS,
};

parameter_types! {
	/// The platform's own account: transaction fees and platform fees are paid here. It is the
	/// treasury's account too (`pallet_treasury::Config::PalletId` is this id).
	pub const PlatformPalletId: PalletId = PalletId(*b"ent/plat");
	/// The account derived from [`PlatformPalletId`].
	pub PlatformAccount: AccountId = PlatformPalletId::get().into_account_truncating();
	/// Fees do not rise with congestion: a payment's cost is known in advance.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

/// Planck charged per unit of weight.
pub const FEE_PER_WEIGHT: Balance = 5;
/// Planck charged per byte of transaction.
pub const FEE_PER_BYTE: Balance = MICRO_UNITS;

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ResolveTo<PlatformAccount, Balances>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = ConstantMultiplier<Balance, ConstU128<FEE_PER_WEIGHT>>;
	type LengthToFee = ConstantMultiplier<Balance, ConstU128<FEE_PER_BYTE>>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}
