//! Every type the disputes pallet stores or takes as a call argument, and their `…Of<T>`
//! aliases. All are bounded and have `MaxEncodedLen`; stored enums carry explicit codec indices.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use entrepot_primitives::{Balance, CurrencyId, OrderId};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;

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

/// One of the two parties of a disputed order.
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
pub enum Side {
	/// Who paid for the order.
	#[codec(index = 0)]
	Customer,
	/// Who sold it.
	#[codec(index = 1)]
	Merchant,
}

impl Side {
	/// The other party.
	pub fn other(self) -> Side {
		match self {
			Side::Customer => Side::Merchant,
			Side::Merchant => Side::Customer,
		}
	}
}

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
	/// loses (the dispute is decided for the opener).
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
	/// Deposit (native token) of the opener, and of the respondent when it engages.
	pub deposit: Balance,
	/// Deposit (native token) of an appellant.
	pub appeal_deposit: Balance,
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
	/// The parties negotiate. A respondent that has not engaged by `respond_by` loses; an
	/// engaged negotiation is escalated at `negotiate_by`.
	#[codec(index = 0)]
	Negotiating {
		/// Deadline for the respondent to engage.
		respond_by: BlockNumberFor<T>,
		/// Deadline of the negotiation once the respondent engaged.
		negotiate_by: BlockNumberFor<T>,
	},
	/// Escalated: an arbiter is drawn at `draw_at` (the block after the escalation).
	#[codec(index = 1)]
	AwaitingArbiter {
		/// The block whose parent hash draws the arbiter.
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
	/// then the opener wins (agreement, after-sales) or nothing is paid (platform).
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
	pub customer_deposit: Balance,
	/// The deposit held from the merchant (as opener or engaged respondent).
	pub merchant_deposit: Balance,
	/// The appeal deposit held from the appellant, once appealed.
	pub appeal_deposit: Option<(Side, Balance)>,
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
	pub fn deposits_of(&self, side: Side) -> Balance {
		let base = match side {
			Side::Customer => self.customer_deposit,
			Side::Merchant => self.merchant_deposit,
		};
		let appeal = match self.appeal_deposit {
			Some((by, amount)) if by == side => amount,
			_ => 0,
		};
		base.saturating_add(appeal)
	}

	/// The side a refund favours: the customer if `2 × refund ≥ frozen`, else the merchant.
	pub fn favoured_by(&self, refund: Balance) -> Side {
		if refund.saturating_mul(2) >= self.frozen {
			Side::Customer
		} else {
			Side::Merchant
		}
	}

	/// What the opener gets when it wins by default: the whole frozen amount back for a
	/// customer, nothing back (all to the merchant) for a merchant.
	pub fn opener_wins_refund(&self) -> Balance {
		match self.opener {
			Side::Customer => self.frozen,
			Side::Merchant => 0,
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

/// Which deadline of a dispute falls. A deadline whose dispute has moved on (another stage,
/// or a later deadline) is ignored: cancellation is lazy.
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
	/// The respondent did not engage: decided for the opener.
	#[codec(index = 0)]
	Response,
	/// The engaged negotiation is over: escalated to arbitration.
	#[codec(index = 1)]
	Negotiation,
	/// The block after an escalation: an arbiter is drawn.
	#[codec(index = 2)]
	Draw,
	/// The arbiter did not rule in time: another one is drawn, or governance decides.
	#[codec(index = 3)]
	Ruling,
	/// Nobody appealed the ruling: it is executed.
	#[codec(index = 4)]
	Appeal,
	/// Governance did not decide in time: the ruling stands (appeal) or the opener wins
	/// (agreement, after-sales) or nothing is paid (platform).
	#[codec(index = 5)]
	Decision,
}

/// The deadlines due in one block.
pub type DeadlinesOf<T> =
	BoundedVec<(DisputeId, DeadlineKind), <T as Config>::MaxDeadlinesPerBlock>;

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
	/// The respondent stayed silent: decided for the opener.
	#[codec(index = 1)]
	Silence,
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
	/// Governance did not decide in time: decided for the opener.
	#[codec(index = 6)]
	Default,
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
	/// The favoured side's deposits go back; the other side's pay `arbiter` its fee (if an
	/// arbiter ruled) and the rest goes to the platform account.
	Favour {
		/// The side that keeps its deposits.
		side: Side,
		/// The arbiter who ruled, if one did.
		arbiter: Option<AccountId>,
	},
}
