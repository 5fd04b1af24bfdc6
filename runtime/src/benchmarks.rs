//! The pallets the `benchmark pallet` command measures.
//!
//! Not listed: `pallet_session` (its benchmarks come from `pallet-session-benchmarking`, which
//! needs `pallet-staking`), `pallet_aura` and `pallet_grandpa` (no calls of ours to weigh), and
//! the custom referendum origins (no calls).

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_utility, Utility]
	[pallet_assets, Assets]
	[pallet_sudo, Sudo]
	[pallet_orders, Orders]
	[pallet_escrow, Escrow]
	[pallet_gateways, Gateways]
	[pallet_exchange, Exchange]
	[pallet_disputes, Disputes]
	[pallet_loyalty, Loyalty]
	[pallet_validators, Validators]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_treasury, Treasury]
);

pub use crate::{
	Assets, Balances, ConvictionVoting, Council, CouncilMembership, Disputes, Escrow, Gateways,
	Loyalty, Orders, Preimage, Referenda, Runtime, Scheduler, Sudo, Timestamp, Treasury, Utility,
	Validators,
};
pub use frame_benchmarking::baseline::Pallet as BaselineBench;
pub use frame_system_benchmarking::Pallet as SystemBench;

impl frame_benchmarking::baseline::Config for Runtime {}
impl frame_system_benchmarking::Config for Runtime {}
