//! Test runtime: the real `pallet-session`, rotating every [`PERIOD`] blocks with this pallet
//! as its session manager, and a consensus stand-in ([`TestSessionHandler`]) that keeps the
//! authorities it is given, as Aura does.

use crate as pallet_validators;
use crate::SessionIndex;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use pallet_session::{PeriodicSessions, SessionHandler};
use sp_runtime::{
	key_types::DUMMY,
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	BuildStorage, KeyTypeId,
};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeHoldReason,
		RuntimeFreezeReason
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	// Before `Session`: the session pallet's genesis asks this pallet for the first set.
	#[runtime::pallet_index(2)]
	pub type Validators = pallet_validators;
	#[runtime::pallet_index(3)]
	pub type Session = pallet_session;
}

/// Blocks per session: sessions start at blocks 5, 10, 15, …
pub const PERIOD: u64 = 5;
pub const MAX_VALIDATORS: u32 = 5;
pub const MIN_VALIDATORS: u32 = 2;

/// The genesis validators, each with session keys.
pub const ALICE: AccountId = 10;
pub const BOB: AccountId = 20;
pub const CHARLIE: AccountId = 30;
pub const GENESIS: [AccountId; 3] = [ALICE, BOB, CHARLIE];
/// Accounts with session keys that are not validators; DAVE sorts between ALICE and BOB.
pub const DAVE: AccountId = 15;
pub const EVE: AccountId = 40;
pub const FERDIE: AccountId = 50;
pub const CANDIDATES: [AccountId; 3] = [DAVE, EVE, FERDIE];
/// An account with funds but no session keys.
pub const ZED: AccountId = 99;

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

parameter_types! {
	/// The authorities the consensus stand-in was last given.
	pub static Authorities: Vec<AccountId> = Vec::new();
}

/// A consensus stand-in: like Aura, it takes the active set's validators as its authorities
/// at genesis and whenever `pallet-session` says the active set changed.
pub struct TestSessionHandler;
impl SessionHandler<AccountId> for TestSessionHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[DUMMY];

	fn on_genesis_session<Ks: OpaqueKeys>(validators: &[(AccountId, Ks)]) {
		Authorities::set(validators.iter().map(|(who, _)| *who).collect());
	}

	fn on_new_session<Ks: OpaqueKeys>(
		changed: bool,
		validators: &[(AccountId, Ks)],
		_queued_validators: &[(AccountId, Ks)],
	) {
		if changed {
			Authorities::set(validators.iter().map(|(who, _)| *who).collect());
		}
	}

	fn on_disabled(_validator_index: u32) {}
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = PeriodicSessions<ConstU64<PERIOD>, ConstU64<0>>;
	type NextSessionRotation = PeriodicSessions<ConstU64<PERIOD>, ConstU64<0>>;
	type SessionManager = Validators;
	type SessionHandler = TestSessionHandler;
	type Keys = UintAuthorityId;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<0>;
}

/// Registers session keys for benchmark accounts with the real session pallet.
#[allow(dead_code)]
pub struct KeysBenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validators::BenchmarkHelper<AccountId> for KeysBenchHelper {
	fn register_keys(who: &AccountId) {
		// Setting keys takes a consumer reference, so the account must exist.
		let _ = System::inc_providers(who);
		Session::set_keys(RuntimeOrigin::signed(*who), UintAuthorityId(*who), Vec::new())
			.expect("the mock's session keys are valid and unique");
	}
}

impl pallet_validators::Config for Test {
	type AddRemoveOrigin = EnsureRoot<AccountId>;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = ConstU32<MIN_VALIDATORS>;
	type ValidatorRegistration = Session;
	type Session = Session;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = KeysBenchHelper;
}

/// Session keys of `who` in the mock: its own number.
fn keys_of(who: &AccountId) -> (AccountId, AccountId, UintAuthorityId) {
	(*who, *who, UintAuthorityId(*who))
}

/// Genesis: ALICE, BOB and CHARLIE validate and have session keys; DAVE, EVE and FERDIE have
/// session keys but do not validate; ZED has funds only. Session 0 and 1 are planned with the
/// genesis set.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: GENESIS
				.iter()
				.chain(CANDIDATES.iter())
				.chain(&[ZED])
				.map(|who| (*who, 1_000))
				.collect(),
			..Default::default()
		},
		validators: pallet_validators::GenesisConfig { initial_validators: GENESIS.to_vec() },
		session: pallet_session::GenesisConfig {
			keys: GENESIS.iter().map(keys_of).collect(),
			non_authority_keys: CANDIDATES.iter().map(keys_of).collect(),
		},
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and then checks every invariant of the pallet.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Validators::do_try_state().expect("validators invariants hold");
	});
}

/// Runs blocks until session `index` has started, checking the pallet's invariants after
/// every block.
pub fn run_to_session(index: SessionIndex) {
	while Session::current_index() < index {
		System::run_to_block::<AllPalletsWithSystem>(System::block_number() + 1);
		Validators::do_try_state().expect("validators invariants hold after every block");
	}
}

/// The governance set.
pub fn governance_set() -> Vec<AccountId> {
	pallet_validators::Validators::<Test>::get().into_inner()
}

/// The session pallet's active set.
pub fn session_set() -> Vec<AccountId> {
	pallet_session::Validators::<Test>::get()
}

/// The set the session pallet has queued for the next session.
pub fn queued_set() -> Vec<AccountId> {
	pallet_session::QueuedKeys::<Test>::get()
		.into_iter()
		.map(|(who, _)| who)
		.collect()
}

/// The events this pallet emitted, oldest first.
pub fn validators_events() -> Vec<pallet_validators::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Validators(e) = r.event { Some(e) } else { None })
		.collect()
}
