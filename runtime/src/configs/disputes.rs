//! Disputes (`pallet-disputes`): the dispute ladder over orders' escrowed money.
//!
//! Deposits are in ENT. The windows below are the genesis defaults; governance changes them
//! with `Disputes::set_params` ([`PlatformAdminOrigin`]) and decides appeals and platform
//! disputes with `Disputes::decide` ([`AppealOrigin`]).

use frame_support::{parameter_types, traits::ConstU32};
use pallet_disputes::{DisputeParams, KindParams};

use super::monetary::PlatformAccount;
use crate::{
	governance::{AppealOrigin, PlatformAdminOrigin},
	Balances, BlockNumber, Escrow, Orders, Runtime, RuntimeHoldReason, DAYS, MINUTES, UNITS,
};

/// The ladder of agreement and after-sales disputes: 3 days to answer, a week to negotiate, a
/// week for the arbiter, 3 days to appeal, two weeks for governance. 5 ENT to open or answer,
/// 25 ENT to appeal.
const LADDER: KindParams<BlockNumber> = KindParams {
	response_within: 3 * DAYS,
	negotiation_within: 7 * DAYS,
	ruling_within: 7 * DAYS,
	appeal_within: 3 * DAYS,
	decide_within: 14 * DAYS,
	deposit: 5 * UNITS,
	appeal_deposit: 25 * UNITS,
};

parameter_types! {
	pub const DisputeRetryDelay: BlockNumber = 10 * MINUTES;
	pub DefaultDisputeParams: DisputeParams<BlockNumber> = DisputeParams {
		agreement: LADDER,
		after_sales: LADDER,
		// Platform disputes go to governance at once; it has 30 days to decide.
		platform: KindParams { decide_within: 30 * DAYS, ..LADDER },
		arbiter_fee: 2 * UNITS,
	};
}

impl pallet_disputes::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type NativeBalance = Balances;
	type Orders = Orders;
	type Escrow = Escrow;
	/// Windows, deposits and arbiters: Root, two thirds of the council, or a `platform` track
	/// referendum.
	type AdminOrigin = PlatformAdminOrigin;
	/// Appeals and platform disputes: Root, more than half of the council, or a `platform`
	/// track referendum.
	type DecideOrigin = AppealOrigin;
	type PlatformAccount = PlatformAccount;
	type MaxArbiters = ConstU32<32>;
	type MaxEvidence = ConstU32<8>;
	type MaxDeadlinesPerBlock = ConstU32<50>;
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
