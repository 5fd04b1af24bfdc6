//! Aura block production and GRANDPA finality, and the validator set behind them.
//!
//! Who validates is decided by governance: `pallet-validators` (`Validators`) keeps the set and
//! is `pallet-session`'s session manager. At every session rotation the session pallet asks it
//! for a new set, and hands the active set's session keys to Aura and GRANDPA
//! (`SessionHandler`). A validator registers its keys (generated on its node with
//! `author_rotateKeysWithOwner`) with `session.setKeys(keys, proof)` before governance adds it;
//! it validates from the session after the next (see `pallets/validators`).
//!
//! Aura and GRANDPA have no genesis authorities of their own: the session pallet's genesis keys
//! give them the first set.

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
};
use pallet_session::PeriodicSessions;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

use crate::{
	currency::deposit, governance::PlatformAdminOrigin, prod_or_fast, AccountId, Balance, Balances,
	BlockNumber, Runtime, RuntimeEvent, Session, SessionKeys, Validators, MINUTES,
};

/// At most this many validators produce and finalize blocks.
pub type MaxAuthorities = ConstU32<32>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

parameter_types! {
	/// A session lasts 10 minutes (1 minute with `fast-runtime`): a validator set change made
	/// during one session takes effect between one and two session lengths later.
	pub const SessionPeriod: BlockNumber = prod_or_fast(10 * MINUTES, MINUTES);
	/// Sessions start at block 0, `SessionPeriod`, 2 × `SessionPeriod`, …
	pub const SessionOffset: BlockNumber = 0;
	/// Registering session keys holds about 0.05 ENT (three storage items), returned by
	/// `session.purgeKeys`.
	pub const SessionKeyDeposit: Balance = deposit(3, 200);
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is identified by its account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = PeriodicSessions<SessionPeriod, SessionOffset>;
	/// The governed validator set.
	type SessionManager = Validators;
	/// Aura and GRANDPA, in the order of [`SessionKeys`]' fields.
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Nothing reports offences on this chain, so nobody is disabled.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_validators::Config for Runtime {
	/// Root, two thirds of the council, or a `platform` track referendum.
	type AddRemoveOrigin = PlatformAdminOrigin;
	/// Aura truncates a longer authority list.
	type MaxValidators = MaxAuthorities;
	/// One, because the `development` chain has a single validator (Alice) and the floor is a
	/// runtime constant shared by every preset. Governance keeps a production set large enough
	/// for GRANDPA (at least 4 to tolerate one faulty validator); the pallet only stops the
	/// last validator from being removed.
	type MinValidators = ConstU32<1>;
	type ValidatorRegistration = Session;
	type Session = Session;
	type WeightInfo = pallet_validators::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::SetSessionKeys;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use crate::{RuntimeOrigin, UNITS};
	use codec::Encode;
	use frame_support::traits::fungible::Mutate;

	/// Registers real session keys, generated in the benchmark's keystore, with the session
	/// pallet.
	pub struct SetSessionKeys;
	impl pallet_validators::BenchmarkHelper<AccountId> for SetSessionKeys {
		fn register_keys(who: &AccountId) {
			// Benchmark set-up: a failure shows up as a failing benchmark (`NoSessionKeys`).
			let _ = Balances::mint_into(who, UNITS);
			let generated = SessionKeys::generate(&who.encode(), None);
			let _ = Session::set_keys(
				RuntimeOrigin::signed(who.clone()),
				generated.keys,
				generated.proof.encode(),
			);
		}
	}
}
