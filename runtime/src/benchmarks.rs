//! The pallets the `benchmark pallet` command measures.

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
	[pallet_disputes, Disputes]
	[pallet_loyalty, Loyalty]
);

pub use crate::{
	Assets, Balances, Disputes, Escrow, Loyalty, Orders, Runtime, Sudo, Timestamp, Utility,
};
pub use frame_benchmarking::baseline::Pallet as BaselineBench;
pub use frame_system_benchmarking::Pallet as SystemBench;

impl frame_benchmarking::baseline::Config for Runtime {}
impl frame_system_benchmarking::Config for Runtime {}
