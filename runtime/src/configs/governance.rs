//! Governance pallets: the council (`pallet-collective`, its members kept by
//! `pallet-membership`), public referenda (`pallet-referenda` with `pallet-conviction-voting`,
//! `pallet-scheduler` and `pallet-preimage`), the custom referendum origins, and the treasury.
//!
//! The treasury's account is the platform account ([`PlatformAccount`]): transaction fees and
//! platform fees are paid into it, and governance spends from it. Who may do what is in
//! [`crate::governance`] and `docs/governance.md`; periods shortened by the `fast-runtime`
//! feature go through [`prod_or_fast`].

use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{PayFromAccount, UnityAssetBalanceConversion},
		ActiveIssuanceOf, ConstU32, EqualPrivilegeOnly, LinearStoragePrice,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_runtime::{traits::AccountIdLookup, Perbill, Permill};

use super::{
	monetary::{PlatformAccount, PlatformPalletId},
	system::RuntimeBlockWeights,
};
use crate::{
	currency::deposit,
	governance::{
		origins, tracks::TracksInfo, CouncilCollective, CouncilMembershipInstance,
		CouncilPrimeOrigin, ReferendumCancelOrigin, TreasuryRejectOrigin, TreasurySpender,
	},
	prod_or_fast, AccountId, Balance, Balances, BlockNumber, Council, OriginCaller, Preimage,
	Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler,
	System, DAYS, MINUTES, UNITS,
};

// ---- Council ----------------------------------------------------------------------------------

parameter_types! {
	/// A council motion is open for 3 days (20 blocks with `fast-runtime`). It passes as soon
	/// as enough members voted aye; `close` may be called by anyone once it passed or expired.
	pub const CouncilMotionDuration: BlockNumber = prod_or_fast(3 * DAYS, 20);
	/// At most 50 motions are open at once.
	pub const CouncilMaxProposals: u32 = 50;
	/// The council is the platform's operators: a consortium of at most 16 members.
	pub const CouncilMaxMembers: u32 = 16;
	/// A motion's call may use at most half a block.
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	/// Members who did not vote by the end of a motion vote as the prime member did.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Members are managed by `CouncilMembership`; `Council::set_members` is Root only.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Members are known operators: proposing a motion takes no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<CouncilMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Changing who sits on the council is a `root` track referendum (or sudo on the
	/// `development` chain).
	type AddOrigin = EnsureRoot<AccountId>;
	type RemoveOrigin = EnsureRoot<AccountId>;
	type SwapOrigin = EnsureRoot<AccountId>;
	type ResetOrigin = EnsureRoot<AccountId>;
	type PrimeOrigin = CouncilPrimeOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

// ---- Scheduler and preimages ------------------------------------------------------------------

parameter_types! {
	/// Scheduled calls (enacted referenda) may use up to 80% of a block.
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	/// Noting a preimage holds 2 storage items' deposit...
	pub const PreimageBaseDeposit: Balance = deposit(2, 64);
	/// ...plus 100 µENT per byte of the call.
	pub const PreimageByteDeposit: Balance = deposit(0, 1);
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	/// Scheduling calls directly is Root only; referenda schedule through the trait.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	/// Preimage deposits are ENT held on the noter's account.
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

// ---- Referenda and conviction voting ----------------------------------------------------------

parameter_types! {
	/// Votes are locked for 7 days per conviction level (10 blocks with `fast-runtime`).
	pub const VoteLockingPeriod: BlockNumber = prod_or_fast(7 * DAYS, 10);
	/// Submitting a referendum holds 10 ENT until it ends.
	pub const SubmissionDeposit: Balance = 10 * UNITS;
	/// A referendum whose decision deposit is not placed within 14 days (30 blocks with
	/// `fast-runtime`) times out.
	pub const UndecidingTimeout: BlockNumber = prod_or_fast(14 * DAYS, 30);
	/// Referenda are checked every block.
	pub const AlarmInterval: BlockNumber = 1;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	/// Token holders vote in ENT.
	type Currency = Balances;
	type Polls = Referenda;
	/// Support is measured against the active ENT issuance (the treasury's balance does not
	/// count).
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	/// Any account may submit a referendum (paying the submission deposit).
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = ReferendumCancelOrigin;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Deposits of killed referenda are burnt.
	type Slash = ();
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = AlarmInterval;
	type Tracks = TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl origins::Config for Runtime {}

// ---- Treasury ---------------------------------------------------------------------------------

parameter_types! {
	/// Approved `spend_local` payouts are paid once a day (every minute with `fast-runtime`).
	pub const SpendPeriod: BlockNumber = prod_or_fast(DAYS, MINUTES);
	/// Nothing is burnt: fees paid to the platform stay there until governance spends them.
	pub const TreasuryBurn: Permill = Permill::from_percent(0);
	/// At most 100 `spend_local` approvals wait for the next spend period.
	pub const MaxApprovals: u32 = 100;
	/// An approved `spend` may be claimed (`payout`) for 30 days.
	pub const SpendPayoutPeriod: BlockNumber = 30 * DAYS;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = TreasuryRejectOrigin;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = TreasuryBurn;
	/// The treasury's account is the platform account, `PalletId(*b"ent/plat")`'s.
	type PalletId = PlatformPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = MaxApprovals;
	type SpendOrigin = TreasurySpender;
	/// Treasury spends are in ENT. Stablecoin fees collected on the platform account are moved
	/// by Root (`utility.dispatchAs` from the platform account) until a price source lets
	/// `spend` bound them.
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = AccountIdLookup<AccountId, ()>;
	type Paymaster = PayFromAccount<Balances, PlatformAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = SpendPayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::TreasuryArguments;
	type BlockNumberProvider = System;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use crate::{AccountId, Balances, EXISTENTIAL_DEPOSIT};
	use frame_support::traits::fungible::Mutate;

	/// Treasury benchmark arguments: spends in ENT (the asset kind is `()`) to accounts made
	/// from the benchmark's seed.
	pub struct TreasuryArguments;
	impl pallet_treasury::ArgumentsFactory<(), AccountId> for TreasuryArguments {
		fn create_asset_kind(_seed: u32) {}

		/// The benchmarks pay out 100 base units, less than the existential deposit: the
		/// beneficiary must already exist for the payout to succeed.
		fn create_beneficiary(seed: [u8; 32]) -> AccountId {
			let who = AccountId::from(seed);
			// Benchmark set-up: a failure shows up as a failing `payout` benchmark.
			let _ = Balances::mint_into(&who, EXISTENTIAL_DEPOSIT);
			who
		}
	}
}
