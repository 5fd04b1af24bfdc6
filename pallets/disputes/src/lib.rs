//! # Disputes pallet
//!
//! Entrepot's dispute processing: three kinds of dispute climb one ladder (negotiation,
//! arbitration, appeal), and every stage has a deadline and a default outcome the chain applies
//! by itself. See `docs/disputes.md`.
//!
//! ## Overview
//!
//! A party of an order opens a dispute with a reason and a first piece of evidence, posting a
//! deposit: a flat part in the native token and a stake of the frozen money in the order's
//! currency ([`Deposit`]), moved to this pallet's account and held there under
//! [`HoldReason::DisputeDeposit`] (so frozen funds, such as vote-locked ENT, can never be
//! posted, and a forfeited deposit is paid without forcing anything). An
//! [`DisputeKind::Agreement`] dispute freezes everything still locked in escrow for a shipped,
//! unsettled order (a merchant may open one only while a refund step is pending); an
//! [`DisputeKind::AfterSales`] dispute freezes the holdback of a settled order within its
//! after-sales window; a [`DisputeKind::Platform`] dispute freezes nothing and goes straight
//! to governance, which may compensate the opener from the platform fee account, up to a share
//! of the fees the platform took on the order.
//!
//! This pallet never touches escrowed money: it freezes and resolves orders through
//! [`Config::Orders`] ([`entrepot_primitives::OrderDisputes`]), and the orders pallet moves the
//! money through escrow. Platform compensation is paid by [`Config::Escrow`]'s `compensate`.
//!
//! ## Terminology
//!
//! - **Opener / respondent**: who opened the dispute, and the other party of the order.
//! - **Engaging**: the respondent's first proposal, evidence or escalation; it holds the
//!   respondent's deposit. A respondent silent until `respond_by` does not lose: the dispute
//!   goes to arbitration, so opening a dispute never wins anything by itself.
//! - **Frozen**: the order's money the dispute is about; a resolution pays out exactly that:
//!   `refund` to the customer and the rest to the merchant (minus the platform fee).
//! - **Favoured side**: of a ruling or decision, the customer if `2 × refund ≥ frozen`, else the
//!   merchant. The other side's flat deposits pay the arbiter's fee and the rest goes to the
//!   platform account; its stakes go to the favoured side.
//! - **Deadline**: every stage's, processed by the chain itself (see [`Deadlines`]): within
//!   [`Config::MaxDeadlineWeight`] in `on_initialize`, then with what the block leaves in
//!   `on_idle`; overdue ones carried over, never skipped; anyone may fire an overdue one with
//!   [`Pallet::poke`].
//!
//! ## The ladder
//!
//! ```text
//! Negotiating ───────┬─ accept_settlement ───────────────────> Resolved
//!  (open_dispute)    ├─ respondent silent until respond_by ──> AwaitingArbiter
//!                    └─ escalate, or negotiate_by ───────────> AwaitingArbiter
//! AwaitingArbiter ───┬─ draw_at, arbiter drawn ──────────────> Arbitration
//!                    └─ draw_at, none eligible ──────────────> AwaitingGovernance
//! Arbitration ───────┬─ accept_settlement ───────────────────> Resolved
//!                    ├─ rule(refund) ────────────────────────> Ruled
//!                    ├─ rule_by missed: miss recorded ───────> Arbitration (redrawn)
//!                    └─ MaxReassignments misses ─────────────> AwaitingGovernance
//! Ruled ─────────────┬─ appeal_by passes ────────────────────> Resolved: ruling executed
//!                    └─ appeal ──────────────────────────────> Appealed
//! Appealed ──────────── decide(refund), or decide_by ────────> Resolved: ruling stands
//! AwaitingGovernance ┬─ decide(amount) ──────────────────────> Resolved
//!                    └─ decide_by ───────────────────────────> Undecided: the order resumes
//! ```
//!
//! Platform disputes open straight in `AwaitingGovernance`; when its deadline passes they end
//! without compensation and the opener's deposit is returned. An undecided agreement or
//! after-sales dispute returns every deposit and puts the order back in the state it was
//! frozen in, with a fresh window: the order's own rules decide, as if the dispute had not been
//! opened. The same happens to a dispute whose resolution keeps failing
//! ([`Config::MaxDeadlineFailures`]): nothing due is ever dropped.
//!
//! ## Interface
//!
//! Anyone: [`Pallet::poke`] (fires a dispute's overdue deadline).
//! Parties: [`Pallet::open_dispute`], [`Pallet::submit_evidence`],
//! [`Pallet::propose_settlement`], [`Pallet::accept_settlement`], [`Pallet::escalate`],
//! [`Pallet::appeal`]. Arbiters: [`Pallet::rule`]. Governance: [`Pallet::decide`]
//! ([`Config::DecideOrigin`]), [`Pallet::add_arbiter`], [`Pallet::remove_arbiter`],
//! [`Pallet::set_params`] ([`Config::AdminOrigin`]). Queries for the runtime API
//! ([`runtime_api::DisputesApi`]): [`Pallet::dispute`], [`Pallet::dispute_of_order`],
//! [`Pallet::arbiter_cases`], [`Pallet::disputes_of`], [`Pallet::arbiters`],
//! [`Pallet::params`].

#![cfg_attr(not(feature = "std"), no_std)]
// No panics in a dispatchable, a hook or a trait the runtime calls: what could panic is a lint
// error outside tests (benchmarks opt out module by module: a failed set-up must stop them).
#![cfg_attr(
	not(test),
	warn(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects
	)
)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod impls;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use entrepot_primitives::{Balance, CurrencyId, OrderId};

// FRAME's macros expand `expect`s of their own into this module (storage prefixes, error
// metadata); the module holds only the calls' thin wrappers, and the logic they call lives
// outside it, where the lint applies.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use entrepot_primitives::{Escrow, Exchange, OrderDisputes, H256};
	use frame_support::{pallet_prelude::*, traits::fungibles, PalletId};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the disputes pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Holds of every currency (native and assets), e.g. `UnionOf<Balances, AssetsHolder,
		/// NativeFromLeft, ..>`: deposits are held on this pallet's account.
		type Holds: fungibles::MutateHold<
			Self::AccountId,
			AssetId = CurrencyId,
			Balance = Balance,
			Reason = Self::RuntimeHoldReason,
		>;

		/// Plain transfers of every currency, to take deposits in, e.g. `UnionOf<Balances,
		/// Assets, NativeFromLeft, ..>`.
		type Currencies: fungibles::Mutate<Self::AccountId, AssetId = CurrencyId, Balance = Balance>;

		/// This pallet's id: its account holds every deposit.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The business layer: the orders a dispute freezes and resolves.
		type Orders: OrderDisputes<Self::AccountId>;

		/// The payment layer, for platform compensations (paid from the platform fee account).
		type Escrow: Escrow<Self::AccountId>;

		/// Governance's reference rates, to value a deposit posted in another currency than
		/// the native token and the order's (see [`Deposit`]).
		type Exchange: Exchange<Self::AccountId>;

		/// Who appoints and removes arbiters and sets the parameters.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who decides appeals, disputes sent to governance and platform disputes.
		type DecideOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The platform's account: it receives a losing side's deposits (after the arbiter's
		/// fee).
		#[pallet::constant]
		type PlatformAccount: Get<Self::AccountId>;

		/// The most arbiters.
		#[pallet::constant]
		type MaxArbiters: Get<u32>;

		/// The most pieces of evidence per side and dispute.
		#[pallet::constant]
		type MaxEvidence: Get<u32>;

		/// The most weight `on_initialize` spends on due deadlines in one block; `on_idle`
		/// spends what the block leaves over on more.
		#[pallet::constant]
		type MaxDeadlineWeight: Get<Weight>;

		/// After this many failures of a deadline's action, the dispute ends undecided (the
		/// order resumes its own rules, every deposit is returned).
		#[pallet::constant]
		type MaxDeadlineFailures: Get<u32>;

		/// Blocks between an escalation and the draw of its arbiter; the hashes of the blocks
		/// in between seed the draw, so no single block author chooses it (at least the number
		/// of validators, fewer than the block hashes the chain keeps).
		#[pallet::constant]
		type DrawDelay: Get<BlockNumberFor<Self>>;

		/// The most disputes one inquiry returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// After this many arbiters missed their ruling deadline on one dispute, it goes to
		/// governance.
		#[pallet::constant]
		type MaxReassignments: Get<u32>;

		/// How long to wait before retrying a deadline whose action failed (e.g. the merchant
		/// can no longer receive the currency).
		#[pallet::constant]
		type RetryDelay: Get<BlockNumberFor<Self>>;

		/// The parameters until governance sets others.
		#[pallet::constant]
		type DefaultParams: Get<DisputeParamsOf<Self>>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Sets up disputable orders for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: entrepot_primitives::DisputesBenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A party's deposit (opening, engaging or appealing) for an open dispute.
		#[codec(index = 0)]
		DisputeDeposit,
	}

	/// The parameters until governance sets others: [`Config::DefaultParams`].
	#[pallet::type_value]
	pub fn DefaultParamsValue<T: Config>() -> DisputeParamsOf<T> {
		T::DefaultParams::get()
	}

	/// The windows and deposits per kind, and the arbiter fee, for disputes opened from now
	/// on.
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageValue<_, DisputeParamsOf<T>, ValueQuery, DefaultParamsValue<T>>;

	/// Open disputes. A resolved dispute is removed; its events are its record.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, DisputeId, DisputeOf<T>>;

	/// The id of the next dispute.
	#[pallet::storage]
	pub type NextDisputeId<T> = StorageValue<_, DisputeId, ValueQuery>;

	/// The open agreement or after-sales dispute of an order (at most one per order): the
	/// dispute about its money.
	#[pallet::storage]
	pub type DisputeOfOrder<T: Config> = StorageMap<_, Twox64Concat, OrderId, DisputeId>;

	/// The open platform dispute of an order (at most one per order). Kept apart from
	/// [`DisputeOfOrder`] so that a platform dispute, which freezes nothing, cannot keep the
	/// other party from disputing the order's money.
	#[pallet::storage]
	pub type PlatformDisputeOfOrder<T: Config> = StorageMap<_, Twox64Concat, OrderId, DisputeId>;

	/// Index of open disputes by party (customer and merchant of the order).
	#[pallet::storage]
	pub type DisputesOfParty<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, DisputeId, ()>;

	/// The arbiters disputes are drawn among, in the order they were appointed.
	#[pallet::storage]
	pub type Arbiters<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxArbiters>, ValueQuery>;

	/// Index of the disputes in arbitration by their assigned arbiter.
	#[pallet::storage]
	pub type ArbiterCases<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, DisputeId, ()>;

	/// How many ruling deadlines each current arbiter missed (for governance to see).
	#[pallet::storage]
	pub type ArbiterMisses<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32>;

	/// Deadlines by the block they are due in and their dispute: one per open dispute, its
	/// current stage's (see [`entrepot_primitives::DueQueue`]).
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, DisputeId, Deadline>;

	/// The block each dispute's deadline is due in (the index of [`Deadlines`] by dispute).
	#[pallet::storage]
	pub type DeadlineAt<T: Config> = StorageMap<_, Twox64Concat, DisputeId, BlockNumberFor<T>>;

	/// Per currency, the deposits held on this pallet's account for open disputes.
	#[pallet::storage]
	pub type TotalDeposits<T> = StorageMap<_, Blake2_128Concat, CurrencyId, Balance, ValueQuery>;

	/// The oldest block whose deadlines are not all processed yet (zero until the first
	/// deadline is scheduled).
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Genesis configuration: the first arbiters.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The arbiters disputes are drawn among from the first block.
		pub arbiters: alloc::vec::Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for arbiter in &self.arbiters {
				// Genesis only, never in a block: a chain spec with duplicate or too many
				// arbiters must not start a chain.
				#[allow(clippy::expect_used)]
				Pallet::<T>::do_add_arbiter(arbiter.clone()).expect("valid genesis arbiters");
			}
		}
	}

	/// Events: together they are the record of every dispute.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A dispute was opened (and, unless it is a platform dispute, its order frozen).
		DisputeOpened {
			/// The dispute.
			dispute_id: DisputeId,
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Its kind.
			kind: DisputeKind,
			/// Why.
			reason: DisputeReason,
			/// Who opened it.
			opener: T::AccountId,
			/// The order's money frozen (zero for platform disputes).
			frozen: Balance,
			/// The opener's deposit held.
			deposit: Deposit,
			/// The first deadline: the respondent's (negotiation) or governance's (platform).
			deadline: BlockNumberFor<T>,
		},
		/// A party submitted evidence.
		EvidenceSubmitted {
			/// The dispute.
			dispute_id: DisputeId,
			/// Who submitted it.
			by: T::AccountId,
			/// The hash of the evidence document.
			evidence: Evidence,
		},
		/// The respondent engaged; its deposit is held.
		RespondentEngaged {
			/// The dispute.
			dispute_id: DisputeId,
			/// The respondent.
			respondent: T::AccountId,
			/// The deposit held.
			deposit: Deposit,
		},
		/// A party proposed a settlement; it replaces any earlier proposal.
		SettlementProposed {
			/// The dispute.
			dispute_id: DisputeId,
			/// Who proposed it.
			by: T::AccountId,
			/// What would go back to the customer.
			refund: Balance,
		},
		/// The dispute was escalated to arbitration; an arbiter is drawn at `draw_at`.
		Escalated {
			/// The dispute.
			dispute_id: DisputeId,
			/// The party who escalated; `None` when the negotiation window closed or the
			/// respondent stayed silent.
			by: Option<T::AccountId>,
			/// The block in which the arbiter is drawn.
			draw_at: BlockNumberFor<T>,
		},
		/// An arbiter was drawn for the dispute.
		ArbiterAssigned {
			/// The dispute.
			dispute_id: DisputeId,
			/// The arbiter.
			arbiter: T::AccountId,
			/// The ruling deadline.
			rule_by: BlockNumberFor<T>,
		},
		/// The assigned arbiter did not rule in time; the miss is recorded.
		ArbiterMissedDeadline {
			/// The dispute.
			dispute_id: DisputeId,
			/// The arbiter.
			arbiter: T::AccountId,
			/// How many arbiters missed on this dispute so far.
			misses: u32,
		},
		/// The assigned arbiter was removed before ruling; the dispute is redrawn without a
		/// recorded miss.
		ArbiterWithdrawn {
			/// The dispute.
			dispute_id: DisputeId,
			/// The removed arbiter.
			arbiter: T::AccountId,
		},
		/// The dispute waits for governance's decision (no eligible arbiter, too many misses,
		/// or a platform dispute).
		SentToGovernance {
			/// The dispute.
			dispute_id: DisputeId,
			/// Governance's deadline.
			decide_by: BlockNumberFor<T>,
		},
		/// The arbiter ruled.
		Ruled {
			/// The dispute.
			dispute_id: DisputeId,
			/// The arbiter.
			arbiter: T::AccountId,
			/// What goes back to the customer.
			refund: Balance,
			/// The deadline to appeal.
			appeal_by: BlockNumberFor<T>,
		},
		/// The side the ruling does not favour appealed; its appeal deposit is held.
		Appealed {
			/// The dispute.
			dispute_id: DisputeId,
			/// Who appealed.
			appellant: T::AccountId,
			/// The appeal deposit held.
			deposit: Deposit,
			/// Governance's deadline.
			decide_by: BlockNumberFor<T>,
		},
		/// A deposit went back to its owner.
		DepositReturned {
			/// The dispute.
			dispute_id: DisputeId,
			/// The owner.
			who: T::AccountId,
			/// The amount.
			amount: Deposit,
		},
		/// A losing side's deposits were forfeited: of the flat part, the arbiter's fee to the
		/// arbiter and the rest to the platform; the stake to the favoured side.
		DepositForfeited {
			/// The dispute.
			dispute_id: DisputeId,
			/// Whose deposits.
			who: T::AccountId,
			/// The one currency the deposits were held in, if not the native token (flat part)
			/// and the order's currency (stake): see [`Deposit`].
			held_in: Option<CurrencyId>,
			/// The arbiter paid, if an arbiter ruled.
			arbiter: Option<T::AccountId>,
			/// What the arbiter received (of the flat part).
			to_arbiter: Balance,
			/// What the platform account received (of the flat part).
			to_platform: Balance,
			/// Who received the stake: the favoured party.
			winner: T::AccountId,
			/// The stake it received.
			to_winner: Balance,
		},
		/// The dispute ended and was removed. For agreement and after-sales disputes the frozen
		/// money was paid out exactly: `refund + merchant_gross == frozen`.
		Resolved {
			/// The dispute.
			dispute_id: DisputeId,
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// How it ended.
			resolution: Resolution,
			/// What was frozen.
			frozen: Balance,
			/// What went back to the customer.
			refund: Balance,
			/// What went to the merchant's side (before the platform fee).
			merchant_gross: Balance,
			/// What the platform fee account paid the opener (platform disputes).
			compensation: Balance,
		},
		/// Part of a deposit neither its recipient nor the platform account could receive
		/// (dust of an asset neither holds) was released on this pallet's account instead.
		DepositUnclaimable {
			/// The dispute.
			dispute_id: DisputeId,
			/// Who should have received it.
			who: T::AccountId,
			/// Its currency.
			currency: CurrencyId,
			/// How much.
			amount: Balance,
		},
		/// An arbiter was appointed.
		ArbiterAdded {
			/// The arbiter.
			arbiter: T::AccountId,
		},
		/// An arbiter was removed; its open cases are redrawn at their ruling deadline.
		ArbiterRemoved {
			/// The arbiter.
			arbiter: T::AccountId,
		},
		/// Governance set new parameters (for disputes opened from now on).
		ParamsSet {
			/// The parameters.
			params: DisputeParamsOf<T>,
		},
		/// A deadline's action failed; it is retried at `retry_at`.
		DeadlineFailed {
			/// The dispute.
			dispute_id: DisputeId,
			/// The deadline.
			kind: DeadlineKind,
			/// Why it failed.
			error: DispatchError,
			/// How many times it failed so far.
			failures: u32,
			/// When it is retried.
			retry_at: BlockNumberFor<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such open order.
		OrderNotFound,
		/// The reason belongs to another kind of dispute.
		ReasonNotForKind,
		/// The caller is neither the order's customer nor its merchant.
		NotParty,
		/// Only the customer may open an after-sales dispute.
		NotCustomer,
		/// The order already has an open dispute.
		OrderAlreadyDisputed,
		/// The deposit cannot be held.
		InsufficientDeposit,
		/// An amount, a block number or a counter overflowed.
		Overflow,
		/// No such open dispute.
		DisputeNotFound,
		/// The side already submitted the most evidence allowed.
		TooMuchEvidence,
		/// Settlements are only negotiated before a ruling, and never on platform disputes.
		NotNegotiable,
		/// The refund exceeds the frozen amount.
		RefundExceedsFrozen,
		/// There is no proposal to accept.
		NoProposal,
		/// A party cannot accept its own proposal.
		OwnProposal,
		/// The dispute is not in negotiation.
		NotNegotiating,
		/// The respondent did not engage in time: the negotiation is over for it (the dispute
		/// goes to arbitration, where it may still submit evidence).
		ResponseWindowClosed,
		/// The dispute is not in arbitration.
		NotInArbitration,
		/// The caller is not the dispute's assigned arbiter.
		NotAssignedArbiter,
		/// The account is not an arbiter (or no longer).
		NotArbiter,
		/// The ruling deadline has passed.
		RulingWindowClosed,
		/// The dispute has no ruling to appeal.
		NotRuled,
		/// The ruling favours the caller: only the other side may appeal.
		RulingFavoursCaller,
		/// The appeal deadline has passed.
		AppealWindowClosed,
		/// The dispute does not wait for governance's decision.
		NotAwaitingDecision,
		/// Governance's deadline has passed.
		DecisionWindowClosed,
		/// The account is already an arbiter.
		AlreadyArbiter,
		/// There are already [`Config::MaxArbiters`] arbiters.
		TooManyArbiters,
		/// A window is zero, a negotiation window is shorter than its response window, or a
		/// stake is zero.
		InvalidParams,
		/// The dispute has no deadline that has passed.
		NothingDue,
		/// The compensation exceeds the share of the order's platform fees governance may pay
		/// back by deciding a dispute; a larger one is a treasury spend.
		CompensationAboveCap,
		/// A resolution did not pay out exactly the frozen amount.
		PayoutMismatch,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Processes due deadlines within [`Config::MaxDeadlineWeight`]; what does not fit is
		/// processed by `on_idle` or in the next block. Returns the weight used.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_deadlines(now, T::MaxDeadlineWeight::get())
		}

		/// Processes more due deadlines with what the block left over.
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::process_deadlines(now, remaining)
		}

		fn integrity_test() {
			assert!(T::MaxDeadlineFailures::get() > 0, "MaxDeadlineFailures must be positive");
			assert!(!T::DrawDelay::get().is_zero(), "DrawDelay must be positive");
			assert!(
				T::DrawDelay::get() < <T as frame_system::Config>::BlockHashCount::get(),
				"DrawDelay must be shorter than the block hashes the chain keeps"
			);
			assert!(T::MaxArbiters::get() > 0, "MaxArbiters must be positive");
			assert!(T::MaxEvidence::get() > 0, "MaxEvidence must be positive");
			assert!(T::MaxPageSize::get() > 0, "MaxPageSize must be positive");
			assert!(T::MaxReassignments::get() > 0, "MaxReassignments must be positive");
			assert!(!T::RetryDelay::get().is_zero(), "RetryDelay must be positive");
			assert!(Self::params_valid(&T::DefaultParams::get()), "DefaultParams are invalid");
			crate::impls::DeadlineQueue::<T>::integrity_test(
				"MaxDeadlineWeight",
				T::MaxDeadlineWeight::get(),
				Self::heaviest_deadline(),
				T::DbWeight::get(),
				<T as frame_system::Config>::BlockWeights::get().max_block,
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Opens a dispute about `order_id` with a first piece of evidence.
		///
		/// The order's customer (every kind) or merchant ([`DisputeKind::Agreement`] while a
		/// refund step is pending, [`DisputeKind::Platform`]). `reason` must belong to `kind`.
		/// Takes the kind's deposit ([`Dispute::party_deposit`]: the flat `deposit` in the
		/// native token and `stake` of the frozen money in the order's currency) into this
		/// pallet's account, out of funds no freeze covers. Agreement and after-sales disputes
		/// freeze the order (shipped and unsettled; settled with a holdback in the after-sales
		/// window) and start the negotiation; platform disputes go to governance.
		///
		/// Emits [`Event::DisputeOpened`] (and [`Event::SentToGovernance`] for platform
		/// disputes). Fails with [`Error::OrderNotFound`], [`Error::ReasonNotForKind`],
		/// [`Error::NotParty`], [`Error::NotCustomer`], [`Error::OrderAlreadyDisputed`],
		/// [`Error::InsufficientDeposit`], [`Error::Overflow`], or the orders pallet's error
		/// when the order cannot be frozen for this kind (or by this party).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::open_dispute())]
		pub fn open_dispute(
			origin: OriginFor<T>,
			order_id: OrderId,
			kind: DisputeKind,
			reason: DisputeReason,
			evidence: Evidence,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_dispute(who, order_id, kind, reason, evidence)
		}

		/// Adds the hash of an evidence document to the caller's side of the dispute.
		///
		/// Either party, in any stage, at most [`Config::MaxEvidence`] per side. The
		/// respondent's first evidence engages it (holds its deposit; in negotiation only
		/// before `respond_by`).
		///
		/// Emits [`Event::EvidenceSubmitted`] (and [`Event::RespondentEngaged`]). Fails with
		/// [`Error::DisputeNotFound`], [`Error::NotParty`], [`Error::TooMuchEvidence`],
		/// [`Error::ResponseWindowClosed`] or [`Error::InsufficientDeposit`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::submit_evidence())]
		pub fn submit_evidence(
			origin: OriginFor<T>,
			dispute_id: DisputeId,
			evidence: Evidence,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_evidence(who, dispute_id, evidence)
		}

		/// Proposes to settle: `refund` of the frozen money back to the customer, the rest to
		/// the merchant. Replaces any earlier proposal.
		///
		/// Either party of an agreement or after-sales dispute, negotiating, awaiting an
		/// arbiter or in arbitration. The respondent's first proposal engages it.
		///
		/// Emits [`Event::SettlementProposed`] (and [`Event::RespondentEngaged`]). Fails with
		/// [`Error::DisputeNotFound`], [`Error::NotParty`], [`Error::NotNegotiable`],
		/// [`Error::RefundExceedsFrozen`], [`Error::ResponseWindowClosed`] or
		/// [`Error::InsufficientDeposit`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::propose_settlement())]
		pub fn propose_settlement(
			origin: OriginFor<T>,
			dispute_id: DisputeId,
			refund: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_settlement(who, dispute_id, refund)
		}

		/// Accepts the other party's proposal: the frozen money is paid out as proposed, every
		/// deposit goes back and the dispute ends.
		///
		/// The party that did not make the standing proposal, while settlements are
		/// negotiable. A respondent that never engaged may accept without a deposit (before
		/// `respond_by`).
		///
		/// Emits [`Event::Resolved`] ([`Resolution::Settlement`]) and
		/// [`Event::DepositReturned`]. Fails with [`Error::DisputeNotFound`],
		/// [`Error::NotParty`], [`Error::NotNegotiable`], [`Error::NoProposal`],
		/// [`Error::OwnProposal`], [`Error::ResponseWindowClosed`], or the orders pallet's
		/// error if the payout fails.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::accept_settlement())]
		pub fn accept_settlement(origin: OriginFor<T>, dispute_id: DisputeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_settlement(who, dispute_id)
		}

		/// Ends the negotiation: an arbiter is drawn [`Config::DrawDelay`] blocks later.
		///
		/// Either party, negotiating. The respondent's escalation engages it.
		///
		/// Emits [`Event::Escalated`] (and [`Event::RespondentEngaged`]). Fails with
		/// [`Error::DisputeNotFound`], [`Error::NotParty`], [`Error::NotNegotiating`],
		/// [`Error::ResponseWindowClosed`], [`Error::InsufficientDeposit`] or
		/// [`Error::Overflow`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::escalate())]
		pub fn escalate(origin: OriginFor<T>, dispute_id: DisputeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_escalate(who, dispute_id)
		}

		/// Rules: `refund` of the frozen money back to the customer, the rest to the merchant.
		/// Executed when the appeal window closes unless the side it does not favour appeals.
		///
		/// The dispute's assigned arbiter, still an arbiter, before `rule_by`.
		///
		/// Emits [`Event::Ruled`]. Fails with [`Error::DisputeNotFound`],
		/// [`Error::NotInArbitration`], [`Error::NotAssignedArbiter`], [`Error::NotArbiter`],
		/// [`Error::RulingWindowClosed`], [`Error::RefundExceedsFrozen`] or
		/// [`Error::Overflow`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::rule())]
		pub fn rule(
			origin: OriginFor<T>,
			dispute_id: DisputeId,
			refund: Balance,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rule(who, dispute_id, refund)
		}

		/// Appeals the ruling to governance, holding the kind's appeal deposit
		/// ([`Dispute::appellant_deposit`]).
		///
		/// The party the ruling does not favour, before `appeal_by`.
		///
		/// Emits [`Event::Appealed`]. Fails with [`Error::DisputeNotFound`],
		/// [`Error::NotParty`], [`Error::NotRuled`], [`Error::RulingFavoursCaller`],
		/// [`Error::AppealWindowClosed`], [`Error::InsufficientDeposit`] or
		/// [`Error::Overflow`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::appeal())]
		pub fn appeal(origin: OriginFor<T>, dispute_id: DisputeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_appeal(who, dispute_id)
		}

		/// Decides a dispute waiting for governance: for an appeal or an agreement or
		/// after-sales dispute, `amount` is the refund to the customer (the rest goes to the
		/// merchant); for a platform dispute, `amount` is the compensation paid to the opener
		/// from the platform fee account (zero: none, and the opener's deposit is forfeited),
		/// at most [`DisputeParams::max_compensation`] of the platform fees taken on the order
		/// (anything larger is a treasury spend, with the treasury's own origin and limits).
		///
		/// [`Config::DecideOrigin`], before `decide_by`.
		///
		/// Emits [`Event::Resolved`] and the deposit events. Fails with
		/// [`Error::DisputeNotFound`], [`Error::NotAwaitingDecision`],
		/// [`Error::DecisionWindowClosed`], [`Error::RefundExceedsFrozen`],
		/// [`Error::CompensationAboveCap`], or the orders or escrow pallet's error if the
		/// payout fails.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::decide())]
		pub fn decide(
			origin: OriginFor<T>,
			dispute_id: DisputeId,
			amount: Balance,
		) -> DispatchResult {
			T::DecideOrigin::ensure_origin(origin)?;
			Self::do_decide(dispute_id, amount)
		}

		/// Fires the dispute's deadline now, if it has passed: exactly what the chain does by
		/// itself at that deadline.
		///
		/// Any signed account. Emits the events of the deadline's action. Fails with
		/// [`Error::DisputeNotFound`], [`Error::NothingDue`], or the action's error (nothing
		/// changes; the chain retries it).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::poke().max(Pallet::<T>::heaviest_deadline()))]
		pub fn poke(origin: OriginFor<T>, dispute_id: DisputeId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_poke(dispute_id)
		}

		/// Appoints an arbiter.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::ArbiterAdded`]. Fails with
		/// [`Error::AlreadyArbiter`] or [`Error::TooManyArbiters`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::add_arbiter())]
		pub fn add_arbiter(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_add_arbiter(who)
		}

		/// Removes an arbiter. It can no longer rule; its open cases are redrawn when their
		/// ruling deadline passes, without a recorded miss.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::ArbiterRemoved`]. Fails with
		/// [`Error::NotArbiter`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::remove_arbiter())]
		pub fn remove_arbiter(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_remove_arbiter(who)
		}

		/// Sets the windows and deposits per kind, the arbiter fee and the compensation cap,
		/// for disputes opened from now on (open disputes keep their terms).
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::ParamsSet`]. Fails with
		/// [`Error::InvalidParams`] if a window or a stake is zero or a negotiation window is
		/// shorter than its response window.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: DisputeParamsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}
	}
}
