//! Every type the loyalty pallet stores or takes as a call argument, and their `…Of<T>`
//! aliases. All are bounded and have `MaxEncodedLen`; stored enums carry explicit codec
//! indices.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use entrepot_primitives::{Balance, CurrencyId, OrderId};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{FixedU128, Permill};

/// Governance's terms for one currency orders are paid in.
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
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub struct CurrencyRate {
	/// The share of a reviewed order's value paid back as a reward.
	pub reward_rate: Permill,
	/// Token base units per base unit of the currency: converts rewards into tokens and,
	/// the other way, redeemed tokens into a discount. Positive.
	pub tokens_per_unit: FixedU128,
	/// Orders worth less than this (in the currency's base units) earn nothing.
	pub min_order_value: Balance,
}

/// Governance's limits on earning, in token base units and blocks.
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
pub struct LoyaltyLimits<BlockNumber> {
	/// The most one order earns.
	pub per_order_cap: Balance,
	/// The most one account earns in one period (counted when the review is written).
	pub per_period_cap: Balance,
	/// The length of a period, in blocks (positive). Periods start at block 0.
	pub period: BlockNumber,
	/// How long after receipt is confirmed the customer may review the order (positive).
	pub review_window: BlockNumber,
}

/// The limits of a runtime.
pub type LimitsOf<T> = LoyaltyLimits<BlockNumberFor<T>>;

/// An order whose receipt was confirmed and that its customer may still review.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct CompletedOrder<T: Config> {
	/// Who bought.
	pub customer: T::AccountId,
	/// Who sold.
	pub merchant: T::AccountId,
	/// The order's currency.
	pub currency: CurrencyId,
	/// What the order is worth: settled at confirmation, less refunds since.
	pub value: Balance,
	/// The platform fees taken on the order's payouts when its receipt was confirmed: the
	/// reward is bounded by a share of them.
	pub fees: Balance,
	/// When a reward for it becomes spendable (the end of the after-sales window).
	pub vests_at: BlockNumberFor<T>,
	/// The last block before the review window closes (exclusive).
	pub review_by: BlockNumberFor<T>,
}

/// The completed order type of a runtime.
pub type CompletedOrderOf<T> = CompletedOrder<T>;

/// A reward earned by a review, waiting for the order's after-sales window to close.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct PendingReward<T: Config> {
	/// Who receives it.
	pub customer: T::AccountId,
	/// The order's value not refunded yet, in its currency (positive).
	pub value: Balance,
	/// The reward, in token base units; shrinks with refunds in proportion to `value`.
	pub reward: Balance,
	/// When it is minted (unless the order is still open then).
	pub vests_at: BlockNumberFor<T>,
}

/// The pending reward type of a runtime.
pub type PendingRewardOf<T> = PendingReward<T>;

/// A verified-purchase review.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Review<T: Config> {
	/// The order reviewed.
	pub order_id: OrderId,
	/// Who wrote it: the order's customer.
	pub customer: T::AccountId,
	/// From 1 (worst) to 5 (best).
	pub rating: u8,
	/// Hash of the review text, kept off chain.
	pub review_hash: H256,
	/// When it was written.
	pub at: BlockNumberFor<T>,
}

/// The review type of a runtime.
pub type ReviewOf<T> = Review<T>;

/// A merchant's most recent reviews, oldest first.
pub type RecentReviewsOf<T> = BoundedVec<Review<T>, <T as Config>::MaxRecentReviews>;

/// A merchant's rating over all its reviews: the average is `sum / count`.
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
pub struct Reputation {
	/// How many reviews.
	pub count: u64,
	/// The sum of their ratings.
	pub sum: u64,
}

/// What an account earned in one period.
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
pub struct PeriodEarnings<BlockNumber> {
	/// The period: the block number divided by the period length.
	pub period: BlockNumber,
	/// Tokens earned (in base units) by reviews written in it.
	pub earned: Balance,
}

/// What a timer does when it fires. A timer whose record has gone is ignored.
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
pub enum TimerKind {
	/// The review window closed: an unreviewed completed order is forgotten.
	#[codec(index = 0)]
	ReviewExpiry,
	/// A pending reward vests: it is minted to the customer.
	#[codec(index = 1)]
	Vest,
}

/// An order's timer: what it does, and how many times its action failed so far.
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
pub struct Timer {
	/// What it does.
	pub kind: TimerKind,
	/// How many times its action failed (it is retried after [`crate::Config::RetryDelay`]).
	pub failures: u32,
}

impl Timer {
	/// A timer that has not failed yet.
	pub fn new(kind: TimerKind) -> Self {
		Timer { kind, failures: 0 }
	}
}
