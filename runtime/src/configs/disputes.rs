//! Disputes (`pallet-disputes`): the dispute ladder over orders' escrowed money.
//!
//! Deposits have a flat part in ENT and a stake of the frozen money in the order's currency;
//! both move to the disputes account (`PalletId(*b"ent/disp")`, keyless) and are held there.
//! The windows below are the genesis defaults; governance changes them with
//! `Disputes::set_params` ([`PlatformAdminOrigin`]) and decides appeals and platform disputes
//! with `Disputes::decide` ([`AppealOrigin`]).

use frame_support::{parameter_types, traits::ConstU32, weights::Weight, PalletId};
use pallet_disputes::{DisputeParams, KindParams};
use sp_runtime::Permill;

use super::{
	monetary::PlatformAccount,
	orders::{NativeAndAssetHolds, NativeAndAssets},
	system::RuntimeBlockWeights,
};
use crate::{
	governance::{AppealOrigin, PlatformAdminOrigin},
	prod_or_fast, BlockNumber, Escrow, Orders, Runtime, RuntimeHoldReason, DAYS, MINUTES, UNITS,
};

/// The ladder of agreement and after-sales disputes: 3 days to answer, a week to negotiate, a
/// week for the arbiter, 3 days to appeal, two weeks for governance. 5 ENT to open or answer,
/// 25 ENT to appeal, each with a stake of 5% of the frozen money in the order's currency.
const LADDER: KindParams<BlockNumber> = KindParams {
	response_within: 3 * DAYS,
	negotiation_within: 7 * DAYS,
	ruling_within: 7 * DAYS,
	appeal_within: 3 * DAYS,
	decide_within: 14 * DAYS,
	deposit: 5 * UNITS,
	appeal_deposit: 25 * UNITS,
	stake: Permill::from_percent(5),
};

parameter_types! {
	/// The disputes account's id: it holds every dispute deposit.
	pub const DisputesPalletId: PalletId = PalletId(*b"ent/disp");
	pub const DisputeRetryDelay: BlockNumber = 10 * MINUTES;
	/// Due deadlines may use a twentieth of every block in `on_initialize`; `on_idle` gives
	/// them what the block leaves over.
	pub DisputesDeadlineWeight: Weight = RuntimeBlockWeights::get().max_block / 20;
	/// An arbiter is drawn 40 blocks after an escalation, from those blocks' hashes: more
	/// blocks than there can be validators (32) taking turns (4 with `fast-runtime`, for
	/// tests).
	pub const DrawDelay: BlockNumber = prod_or_fast(40, 4);
	pub DefaultDisputeParams: DisputeParams<BlockNumber> = DisputeParams {
		agreement: LADDER,
		after_sales: LADDER,
		// Platform disputes go to governance at once; it has 30 days to decide.
		platform: KindParams { decide_within: 30 * DAYS, ..LADDER },
		arbiter_fee: 2 * UNITS,
		// Governance may pay back at most the platform fees an order paid; more is a treasury
		// spend.
		max_compensation: Permill::from_percent(100),
	};
}

impl pallet_disputes::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Holds = NativeAndAssetHolds;
	type Currencies = NativeAndAssets;
	type PalletId = DisputesPalletId;
	type Orders = Orders;
	type Escrow = Escrow;
	/// A customer with no ENT posts its deposit in the currency it paid in, valued at the
	/// reference rates.
	type Exchange = crate::Exchange;
	/// Windows, deposits and arbiters: Root, two thirds of the council, or a `platform` track
	/// referendum.
	type AdminOrigin = PlatformAdminOrigin;
	/// Appeals and platform disputes: Root, more than half of the council, or a `platform`
	/// track referendum.
	type DecideOrigin = AppealOrigin;
	type PlatformAccount = PlatformAccount;
	type MaxArbiters = ConstU32<32>;
	type MaxEvidence = ConstU32<8>;
	type MaxDeadlineWeight = DisputesDeadlineWeight;
	/// A resolution retried every 10 minutes for a day ends undecided: the order resumes.
	type MaxDeadlineFailures = ConstU32<144>;
	type DrawDelay = DrawDelay;
	type MaxPageSize = ConstU32<100>;
	type MaxReassignments = ConstU32<3>;
	type RetryDelay = DisputeRetryDelay;
	type DefaultParams = DefaultDisputeParams;
	type WeightInfo = pallet_disputes::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::DisputableOrders;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use crate::AccountId;
	use entrepot_primitives::{DisputeScope, DisputesBenchmarkHelper, OrderId};

	/// Real orders, placed and moved on through the orders pallet, paid in USDX.
	pub struct DisputableOrders;
	impl DisputesBenchmarkHelper<AccountId> for DisputableOrders {
		fn disputable_order(
			customer: &AccountId,
			merchant: &AccountId,
			scope: DisputeScope,
		) -> OrderId {
			// 100 USDX (6 decimals). Compiled only with `runtime-benchmarks`: a failed set-up
			// must stop the benchmark, it is never on chain.
			pallet_orders::Pallet::<Runtime>::benchmark_disputable_order(
				customer,
				merchant,
				scope,
				100_000_000,
			)
			.expect("benchmark set-up: a disputable order")
		}
	}
}
