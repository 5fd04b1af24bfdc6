//! Weights for `pallet_validators`.
//!
//! PLACEHOLDER: these numbers were NOT measured. They stand in until `./scripts/benchmark.sh
//! pallet_validators` is run on the reference machine once the runtime is wired, which
//! overwrites this whole file (from scripts/frame-weight-template.hbs). Regenerate before
//! anything ships; do not tune by hand.
//!
//! The storage lines list what the calls touch (`Session::NextKeys` is read through
//! `ValidatorRegistration`); the proof sizes assume `MaxValidators = 32` (Aura's and GRANDPA's
//! `MaxAuthorities` in the runtime).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

/// Weight functions needed for `pallet_validators`.
pub trait WeightInfo {
	fn add_validator() -> Weight;
	fn remove_validator() -> Weight;
}

/// Weights measured on the reference machine, with the runtime's database weights
/// (PLACEHOLDER numbers until the first benchmark run).
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Validators::Validators` (r:1 w:1)
	/// Proof: `Validators::Validators` (`max_values`: Some(1), `max_size`: Some(1025), added: 1520, mode: `MaxEncodedLen`)
	/// Storage: `Session::NextKeys` (r:1 w:0)
	/// Proof: `Session::NextKeys` (`max_values`: None, `max_size`: None, mode: `Measured`)
	/// Storage: `Validators::Changed` (r:0 w:1)
	/// Proof: `Validators::Changed` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	fn add_validator() -> Weight {
		// Proof size: measured `0`, estimated `0` (PLACEHOLDER).
		Weight::from_parts(30_000_000, 2_510)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Validators::Validators` (r:1 w:1)
	/// Proof: `Validators::Validators` (`max_values`: Some(1), `max_size`: Some(1025), added: 1520, mode: `MaxEncodedLen`)
	/// Storage: `Validators::Changed` (r:0 w:1)
	/// Proof: `Validators::Changed` (`max_values`: Some(1), `max_size`: Some(1), added: 496, mode: `MaxEncodedLen`)
	fn remove_validator() -> Weight {
		// Proof size: measured `0`, estimated `0` (PLACEHOLDER).
		Weight::from_parts(25_000_000, 2_510)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

/// The same weights with ParityDb's database weights, for tests and mocks.
impl WeightInfo for () {
	fn add_validator() -> Weight {
		Weight::from_parts(30_000_000, 2_510)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn remove_validator() -> Weight {
		Weight::from_parts(25_000_000, 2_510)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
}
