//! Every type the disputes pallet stores or takes as a call argument, and their `…Of<T>`
//! aliases. All are bounded and have `MaxEncodedLen`; stored enums carry explicit codec indices.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use entrepot_primitives::{Balance, CurrencyId, OrderId};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Permill;

/// Identifier of a dispute.
pub type DisputeId = u64;

/// The hash of an off-chain evidence document (photos, tracking records, messages). The chain
/// stores no clear text: the parties exchange the documents off chain and the hash proves what
/// was submitted, and when.
pub type Evidence = H256;

/// The three kinds of dispute, each with its own reasons, windows and resolver.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum DisputeKind {
	/// About a shipped order that is not settled yet: everything still locked in escrow is
	/// frozen. Opened by the customer or the merchant.
	#[codec(index = 0)]
	Agreement,
	/// About a settled order within its after-sales window: the holdback is frozen. Opened by
	/// the customer.
	#[codec(index = 1)]
	AfterSales,
	/// About what the platform did (its fee, an automatic release or refund). Nothing is
	/// frozen; governance may pay a compensation from the platform fee account. Opened by the
	/// customer or the merchant.
	#[codec(index = 2)]
	Platform,
}

/// Why a dispute is opened. Each reason belongs to one [`DisputeKind`].
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum DisputeReason {
	/// Agreement: the goods did not arrive.
	#[codec(index = 0)]
	NotReceived,
	/// Agreement: the goods are not as described.
	#[codec(index = 1)]
	NotAsDescribed,
	/// Agreement: the wrong quantity arrived.
	#[codec(index = 2)]
	WrongQuantity,
	/// Agreement: the goods arrived damaged.
	#[codec(index = 3)]
	Damaged,
	/// Agreement: the merchant says the returned goods never arrived.
	#[codec(index = 4)]
	ReturnNotReceived,
	/// Agreement: another reason, explained in the evidence.
	#[codec(index = 5)]
	OtherAgreement,
	/// After-sales: the goods turned out defective.
	#[codec(index = 6)]
	Defective,
	/// After-sales: parts are missing.
	#[codec(index = 7)]
	MissingParts,
	/// After-sales: the merchant refused the warranty.
	#[codec(index = 8)]
	WarrantyRefused,
	/// After-sales: another reason, explained in the evidence.
	#[codec(index = 9)]
	OtherAfterSales,
	/// Platform: the platform fee was wrong.
	#[codec(index = 10)]
	WrongFee,
	/// Platform: money was released automatically when it should not have been.
	#[codec(index = 11)]
	WrongAutomaticRelease,
	/// Platform: money was refunded automatically when it should not have been.
	#[codec(index = 12)]
	WrongAutomaticRefund,
	/// Platform: another reason, explained in the evidence.
	#[codec(index = 13)]
	OtherPlatform,
}

impl DisputeReason {
	/// The kind of dispute this reason belongs to.
	pub fn kind(&self) -> DisputeKind {
		use DisputeReason::*;
		match self {
			NotReceived | NotAsDescribed | WrongQuantity | Damaged | ReturnNotReceived
			| OtherAgreement => DisputeKind::Agreement,
			Defective | MissingParts | WarrantyRefused | OtherAfterSales => DisputeKind::AfterSales,
			WrongFee | WrongAutomaticRelease | WrongAutomaticRefund | OtherPlatform => {
				DisputeKind::Platform
			},
		}
	}
}

pub use entrepot_primitives::Side;

/// The windows and deposits of one kind of dispute.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct KindParams<BlockNumber> {
	/// Blocks after opening within which the respondent must engage; a silent respondent
	/// does not lose: the dispute goes to arbitration.
	pub response_within: BlockNumber,
	/// Blocks after opening after which an engaged negotiation is escalated to arbitration
	/// (at least `response_within`).
	pub negotiation_within: BlockNumber,
	/// Blocks an assigned arbiter has to rule.
	pub ruling_within: BlockNumber,
	/// Blocks after a ruling within which the side it does not favour may appeal.
	pub appeal_within: BlockNumber,
	/// Blocks governance has to decide an appeal or a dispute sent to it.
	pub decide_within: BlockNumber,
	/// The flat part (native token) of the deposit of the opener, and of the respondent when
	/// it engages: it pays for the dispute's storage and keeps frivolous disputes costly.
	pub deposit: Balance,
	/// The flat part (native token) of an appellant's deposit.
	pub appeal_deposit: Balance,
	/// The share of the frozen money every deposit (opening, engaging, appealing) also
	/// stakes, in the order's currency: a dispute about more money risks more.
	pub stake: Permill,
}

/// The dispute parameters governance sets: windows and deposits per kind, and the arbiter's
/// fee.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct DisputeParams<BlockNumber> {
	/// Parameters of [`DisputeKind::Agreement`] disputes.
	pub agreement: KindParams<BlockNumber>,
	/// Parameters of [`DisputeKind::AfterSales`] disputes.
	pub after_sales: KindParams<BlockNumber>,
	/// Parameters of [`DisputeKind::Platform`] disputes (only `decide_within` and `deposit`
	/// apply: governance decides them directly).
	pub platform: KindParams<BlockNumber>,
	/// What the arbiter who ruled receives out of the losing side's deposits (native token).
	pub arbiter_fee: Balance,
	/// The most governance may pay as a platform dispute's compensation, as a share of the
	/// platform fees taken on the order: more goes through the treasury's spend origin.
	pub max_compensation: Permill,
}

impl<BlockNumber: Copy> DisputeParams<BlockNumber> {
	/// The parameters of one kind.
	pub fn of(&self, kind: DisputeKind) -> KindParams<BlockNumber> {
		match kind {
			DisputeKind::Agreement => self.agreement,
			DisputeKind::AfterSales => self.after_sales,
			DisputeKind::Platform => self.platform,
		}
	}
}

/// The dispute parameters of a runtime.
pub type DisputeParamsOf<T> = DisputeParams<BlockNumberFor<T>>;

/// The parameters of one kind in a runtime.
pub type KindParamsOf<T> = KindParams<BlockNumberFor<T>>;

/// A deposit held for a dispute: a flat part and a stake, held as the party could post them.
///
/// `held_in` is `None` when the flat part is held in the native token and the stake in the
/// order's currency. A party that cannot post that (a customer who holds only the currency it
/// paid in, with no ENT) posts both parts in one currency, `held_in`: the order's currency or
/// the currency the customer paid the order in, each part converted at governance's reference
/// rates and rounded up. The amounts are those held, in their currencies.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Deposit {
	/// The flat part: in the native token, or in `held_in`.
	pub native: Balance,
	/// The stake: in the order's currency, or in `held_in`.
	pub stake: Balance,
	/// The one currency both parts are held in, if not the native token and the order's
	/// currency.
	pub held_in: Option<CurrencyId>,
}

impl Deposit {
	/// A deposit as the dispute's terms state it: `native` of the native token and `stake` of
	/// the order's currency.
	pub const fn stated(native: Balance, stake: Balance) -> Deposit {
		Deposit { native, stake, held_in: None }
	}

	/// Both parts added up (of two deposits of one side, which are held in the same
	/// currencies: see [`Pallet::deposit_form`](crate::Pallet::deposit_form)).
	pub fn saturating_add(self, other: Deposit) -> Deposit {
		let held_in = if self.is_zero() { other.held_in.clone() } else { self.held_in.clone() };
		Deposit {
			native: self.native.saturating_add(other.native),
			stake: self.stake.saturating_add(other.stake),
			held_in,
		}
	}

	/// Whether nothing is held.
	pub fn is_zero(&self) -> bool {
		self.native == 0 && self.stake == 0
	}

	/// The currencies the flat part and the stake are held in, for an order in `currency`.
	pub fn currencies(&self, currency: &CurrencyId) -> (CurrencyId, CurrencyId) {
		match &self.held_in {
			Some(c) => (c.clone(), c.clone()),
			None => (CurrencyId::Native, currency.clone()),
		}
	}

	/// Each part with its currency, for an order in `currency`.
	pub fn parts(&self, currency: &CurrencyId) -> [(CurrencyId, Balance); 2] {
		let (flat, stake) = self.currencies(currency);
		[(flat, self.native), (stake, self.stake)]
	}
}

/// A settlement on the table: `refund` of the frozen money back to the customer, the rest to
/// the merchant.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Proposal {
	/// Who proposed it; the other side may accept it.
	pub by: Side,
	/// What goes back to the customer (at most the frozen amount).
	pub refund: Balance,
}

/// Where a dispute stands on the ladder. Every stage has a deadline and a default outcome.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum Stage<T: Config> {
	/// The parties negotiate. A respondent that has not engaged by `respond_by` is out of the
	/// negotiation and the dispute is escalated to arbitration; an engaged negotiation is
	/// escalated at `negotiate_by`.
	#[codec(index = 0)]
	Negotiating {
		/// Deadline for the respondent to engage.
		respond_by: BlockNumberFor<T>,
		/// Deadline of the negotiation once the respondent engaged.
		negotiate_by: BlockNumberFor<T>,
	},
	/// Escalated: an arbiter is drawn at `draw_at`, [`crate::Config::DrawDelay`] blocks after
	/// the escalation, from the hashes of the blocks in between.
	#[codec(index = 1)]
	AwaitingArbiter {
		/// The block in which the arbiter is drawn.
		draw_at: BlockNumberFor<T>,
	},
	/// An arbiter was drawn and must rule by `rule_by`.
	#[codec(index = 2)]
	Arbitration {
		/// The assigned arbiter.
		arbiter: T::AccountId,
		/// Deadline of the ruling.
		rule_by: BlockNumberFor<T>,
	},
	/// The arbiter ruled; the ruling is executed at `appeal_by` unless appealed.
	#[codec(index = 3)]
	Ruled {
		/// The arbiter who ruled.
		arbiter: T::AccountId,
		/// The ruling: what goes back to the customer.
		refund: Balance,
		/// Deadline to appeal.
		appeal_by: BlockNumberFor<T>,
	},
	/// The ruling was appealed; governance decides by `decide_by`, or the ruling stands.
	#[codec(index = 4)]
	Appealed {
		/// The arbiter who ruled.
		arbiter: T::AccountId,
		/// The appealed ruling.
		refund: Balance,
		/// Who appealed.
		appellant: Side,
		/// Deadline of governance's decision.
		decide_by: BlockNumberFor<T>,
	},
	/// Governance decides by `decide_by` (platform disputes, disputes no arbiter could take);
	/// undecided, the order goes back to its own rules (agreement, after-sales) or nothing is
	/// paid (platform).
	#[codec(index = 5)]
	AwaitingGovernance {
		/// Deadline of governance's decision.
		decide_by: BlockNumberFor<T>,
	},
}

/// An open dispute. It is removed when resolved; its events are its record.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Dispute<T: Config> {
	/// The disputed order.
	pub order_id: OrderId,
	/// The order's payment reference, repeated by the dispute's money events.
	pub reference: H256,
	/// What the dispute is about.
	pub kind: DisputeKind,
	/// Why it was opened.
	pub reason: DisputeReason,
	/// Who opened it; the other side is the respondent.
	pub opener: Side,
	/// The order's customer.
	pub customer: T::AccountId,
	/// The order's merchant.
	pub merchant: T::AccountId,
	/// The order's currency: of the frozen money, and of a platform compensation.
	pub currency: CurrencyId,
	/// The order's money the dispute froze (zero for platform disputes).
	pub frozen: Balance,
	/// When it was opened.
	pub opened_at: BlockNumberFor<T>,
	/// Where it stands.
	pub stage: Stage<T>,
	/// Whether the respondent engaged (proposed, submitted evidence or escalated), holding its
	/// deposit.
	pub respondent_engaged: bool,
	/// The deposit held from the customer (as opener or engaged respondent).
	pub customer_deposit: Deposit,
	/// The deposit held from the merchant (as opener or engaged respondent).
	pub merchant_deposit: Deposit,
	/// The appeal deposit held from the appellant, once appealed.
	pub appeal_deposit: Option<(Side, Deposit)>,
	/// The settlement on the table, if any (the latest proposal replaces the previous one).
	pub proposal: Option<Proposal>,
	/// The customer's evidence, oldest first.
	pub customer_evidence: BoundedVec<Evidence, T::MaxEvidence>,
	/// The merchant's evidence, oldest first.
	pub merchant_evidence: BoundedVec<Evidence, T::MaxEvidence>,
	/// The arbiters who missed their ruling deadline on this dispute; they are not drawn again.
	pub missed: BoundedVec<T::AccountId, T::MaxReassignments>,
	/// The windows and deposits of the dispute's kind when it was opened; they hold for its
	/// whole life.
	pub terms: KindParamsOf<T>,
	/// The arbiter fee when it was opened.
	pub arbiter_fee: Balance,
	/// The compensation cap when it was opened: the share of the order's platform fees a
	/// platform dispute's decision may pay back.
	pub max_compensation: Permill,
	/// The platform fees the order had paid when the dispute was opened (the cap's base if
	/// the order is archived before the decision).
	pub order_fees: Balance,
}

/// The dispute type of a runtime.
pub type DisputeOf<T> = Dispute<T>;

impl<T: Config> Dispute<T> {
	/// The account of one side.
	pub fn account(&self, side: Side) -> &T::AccountId {
		match side {
			Side::Customer => &self.customer,
			Side::Merchant => &self.merchant,
		}
	}

	/// The side of `who`, if it is a party.
	pub fn side_of(&self, who: &T::AccountId) -> Option<Side> {
		if *who == self.customer {
			Some(Side::Customer)
		} else if *who == self.merchant {
			Some(Side::Merchant)
		} else {
			None
		}
	}

	/// Everything held from one side for this dispute: its deposit, plus its appeal deposit
	/// if it appealed.
	pub fn deposits_of(&self, side: Side) -> Deposit {
		let base = self.deposit_of(side).clone();
		match &self.appeal_deposit {
			Some((by, appeal)) if *by == side => base.saturating_add(appeal.clone()),
			_ => base,
		}
	}

	/// The deposit held from one side as opener or engaged respondent (zero if none).
	pub fn deposit_of(&self, side: Side) -> &Deposit {
		match side {
			Side::Customer => &self.customer_deposit,
			Side::Merchant => &self.merchant_deposit,
		}
	}

	/// The deposit a party of this dispute holds to open or engage: the kind's flat deposit
	/// and its stake of the frozen money.
	pub fn party_deposit(&self) -> Deposit {
		Deposit::stated(self.terms.deposit, self.terms.stake.mul_ceil(self.frozen))
	}

	/// The deposit an appellant holds: the kind's flat appeal deposit and its stake of the
	/// frozen money.
	pub fn appellant_deposit(&self) -> Deposit {
		Deposit::stated(self.terms.appeal_deposit, self.terms.stake.mul_ceil(self.frozen))
	}

	/// The side a refund favours: the customer if `2 × refund ≥ frozen`, else the merchant.
	pub fn favoured_by(&self, refund: Balance) -> Side {
		if refund.saturating_mul(2) >= self.frozen {
			Side::Customer
		} else {
			Side::Merchant
		}
	}

	/// The deadline of the current stage, and which deadline it is.
	pub fn deadline(&self) -> (DeadlineKind, BlockNumberFor<T>) {
		match &self.stage {
			Stage::Negotiating { respond_by, negotiate_by } => {
				if self.respondent_engaged {
					(DeadlineKind::Negotiation, *negotiate_by)
				} else {
					(DeadlineKind::Response, *respond_by)
				}
			},
			Stage::AwaitingArbiter { draw_at } => (DeadlineKind::Draw, *draw_at),
			Stage::Arbitration { rule_by, .. } => (DeadlineKind::Ruling, *rule_by),
			Stage::Ruled { appeal_by, .. } => (DeadlineKind::Appeal, *appeal_by),
			Stage::Appealed { decide_by, .. } | Stage::AwaitingGovernance { decide_by } => {
				(DeadlineKind::Decision, *decide_by)
			},
		}
	}
}

/// Which deadline of a dispute falls. A dispute has one deadline at a time, its current
/// stage's; moving on replaces it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialOrd,
	Ord,
)]
pub enum DeadlineKind {
	/// The respondent did not engage: escalated to arbitration (silence wins nothing).
	#[codec(index = 0)]
	Response,
	/// The engaged negotiation is over: escalated to arbitration.
	#[codec(index = 1)]
	Negotiation,
	/// `DrawDelay` blocks after an escalation: an arbiter is drawn.
	#[codec(index = 2)]
	Draw,
	/// The arbiter did not rule in time: another one is drawn, or governance decides.
	#[codec(index = 3)]
	Ruling,
	/// Nobody appealed the ruling: it is executed.
	#[codec(index = 4)]
	Appeal,
	/// Governance did not decide in time: the ruling stands (appeal), the order goes back to
	/// its own rules (agreement, after-sales) or nothing is paid (platform).
	#[codec(index = 5)]
	Decision,
}

/// A dispute's deadline: which one, and how many times its action failed so far.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Deadline {
	/// Which deadline.
	pub kind: DeadlineKind,
	/// How many times its action failed (it is retried after [`crate::Config::RetryDelay`]).
	pub failures: u32,
}

impl Deadline {
	/// A deadline that has not failed yet.
	pub fn new(kind: DeadlineKind) -> Self {
		Deadline { kind, failures: 0 }
	}
}

/// How a dispute ended (reported in [`crate::Event::Resolved`]).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialOrd,
	Ord,
)]
pub enum Resolution {
	/// A party accepted the other's proposal.
	#[codec(index = 0)]
	Settlement,
	/// Nobody appealed the arbiter's ruling: it was executed.
	#[codec(index = 2)]
	Ruling,
	/// Governance decided an appeal.
	#[codec(index = 3)]
	Appeal,
	/// Governance did not decide an appeal in time: the ruling stood.
	#[codec(index = 4)]
	RulingStands,
	/// Governance decided a dispute no arbiter could take.
	#[codec(index = 5)]
	Governance,
	/// Governance did not decide in time, or the resolution kept failing: the order went back
	/// to the state it was frozen in and its own rules, every deposit was returned.
	#[codec(index = 6)]
	Undecided,
	/// Governance decided a platform dispute (a compensation, possibly zero).
	#[codec(index = 7)]
	Compensation,
	/// Governance did not decide a platform dispute in time: no compensation.
	#[codec(index = 8)]
	NoDecision,
}

/// What happens to the deposits of a dispute when it ends.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum DepositOutcome<AccountId> {
	/// Every deposit goes back.
	ReturnAll,
	/// The favoured side's deposits go back; of the other side's, the flat part pays `arbiter`
	/// its fee (if an arbiter ruled) and the rest goes to the platform account, and the stake
	/// goes to the favoured side.
	Favour {
		/// The side that keeps its deposits.
		side: Side,
		/// The arbiter who ruled, if one did.
		arbiter: Option<AccountId>,
	},
}
