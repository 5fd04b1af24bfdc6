
//! Weights for `pallet_loyalty`: PLACEHOLDER in the form `scripts/benchmark.sh` generates
//! (frame-benchmarking-cli 64.0.0), not measured yet. Replace it by running the script once
//! the pallet is in the runtime; never edit by hand afterwards.
//!
//! DATE: (not measured), STEPS: `20`, REPEAT: `10`
//! HOSTNAME: `vm`, CPU: `AMD EPYC`
//! WASM-EXECUTION: `Compiled`, CHAIN: `Some("dev")`, DB CACHE: `1024`

// Executed command:
// (not yet) scripts/benchmark.sh pallet_loyalty

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// Weight functions needed for `pallet_loyalty`.
pub trait WeightInfo {
	fn review() -> Weight;
	fn review_vested() -> Weight;
	fn redeem() -> Weight;
	fn set_currency_rate() -> Weight;
	fn set_limits() -> Weight;
	fn set_earning_paused() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn timer_stale() -> Weight;
	fn timer_review_expiry() -> Weight;
	fn timer_vest() -> Weight;
	fn timer_vest_postponed() -> Weight;
}

/// Weights measured on the reference machine, with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn review() -> Weight {
		Weight::from_parts(150_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
	fn review_vested() -> Weight {
		Weight::from_parts(200_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
	fn redeem() -> Weight {
		Weight::from_parts(300_000_000, 10000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
	fn set_currency_rate() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_limits() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_earning_paused() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn timer_stale() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
	}
	fn timer_review_expiry() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn timer_vest() -> Weight {
		Weight::from_parts(100_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn timer_vest_postponed() -> Weight {
		Weight::from_parts(40_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

/// The same weights with ParityDb's database weights, for tests and mocks.
impl WeightInfo for () {
	fn review() -> Weight {
		Weight::from_parts(150_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(10_u64))
			.saturating_add(ParityDbWeight::get().writes(10_u64))
	}
	fn review_vested() -> Weight {
		Weight::from_parts(200_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(10_u64))
			.saturating_add(ParityDbWeight::get().writes(10_u64))
	}
	fn redeem() -> Weight {
		Weight::from_parts(300_000_000, 10000)
			.saturating_add(ParityDbWeight::get().reads(12_u64))
			.saturating_add(ParityDbWeight::get().writes(10_u64))
	}
	fn set_currency_rate() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_limits() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn set_earning_paused() -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn timer_stale() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
	}
	fn timer_review_expiry() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn timer_vest() -> Weight {
		Weight::from_parts(100_000_000, 6000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn timer_vest_postponed() -> Weight {
		Weight::from_parts(40_000_000, 6000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
}
