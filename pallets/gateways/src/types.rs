//! Every type the gateways pallet stores or takes as a call argument, and their `…Of<T>`
//! aliases. All are bounded and have `MaxEncodedLen`; stored enums carry explicit codec indices.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use entrepot_primitives::{AssetId, Balance};
use frame_support::{traits::ConstU32, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;

/// Identifier of a withdrawal request, counted up from 0.
pub type WithdrawalId = u64;

/// Why a gateway returned a withdrawal (a short code or sentence, at most 64 bytes). Carried by
/// the event only: nothing of it is stored.
pub type Reason = BoundedVec<u8, ConstU32<64>>;

/// What a gateway may mint, set by governance.
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
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub struct Limits {
	/// The most one deposit may mint.
	pub per_deposit: Balance,
	/// The most the gateway may mint in one day window ([`crate::Config::BlocksPerDay`]).
	pub per_day: Balance,
	/// The most of its coin the gateway may have outstanding (minted and not yet burned).
	pub outstanding: Balance,
}

/// Whether a gateway may take new business.
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
pub enum GatewayStatus {
	/// Mints, registers destinations and takes withdrawal requests.
	#[codec(index = 0)]
	Active,
	/// Suspended by governance: mints nothing and takes no new request, but still settles the
	/// requests it has (and its accounts may cancel them after the timeout).
	#[codec(index = 1)]
	Suspended,
}

/// A gateway's latest statement of the money it holds off chain against its coin.
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
pub struct Attestation<BlockNumber> {
	/// The reserve, in the coin's smallest unit.
	pub amount: Balance,
	/// The hash of the attestation document (an auditor's or a bank's statement).
	pub document: H256,
	/// The block it was made in.
	pub at: BlockNumber,
}

/// A gateway: the account a bank or payment institution signs with, appointed by governance for
/// one stablecoin.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct GatewayInfo<BlockNumber> {
	/// The stablecoin it issues and redeems.
	pub asset: AssetId,
	/// Active or suspended.
	pub status: GatewayStatus,
	/// Its limits.
	pub limits: Limits,
	/// Its coin in circulation: genesis supply attributed to it, plus its deposits, minus its
	/// completed withdrawals.
	pub outstanding: Balance,
	/// The first block of the day window `minted_in_window` counts.
	pub window_start: BlockNumber,
	/// What it minted in that window.
	pub minted_in_window: Balance,
	/// Its latest reserve attestation, if any.
	pub attestation: Option<Attestation<BlockNumber>>,
}

/// A [`GatewayInfo`] of the runtime's block number.
pub type GatewayInfoOf<T> = GatewayInfo<BlockNumberFor<T>>;

/// Parameters governance sets.
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
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub struct Params<BlockNumber> {
	/// Blocks a withdrawal request may go without a status change before its account may cancel
	/// it.
	pub withdrawal_timeout: BlockNumber,
	/// The oldest a gateway's attestation may be for it to mint.
	pub max_attestation_age: BlockNumber,
}

/// [`Params`] of the runtime's block number.
pub type ParamsOf<T> = Params<BlockNumberFor<T>>;

/// Where an open withdrawal request stands. Completed, refunded, failed and cancelled requests
/// are removed: their events are their record.
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
pub enum WithdrawalStatus {
	/// Asked for; the coins are held by the gateways account.
	#[codec(index = 0)]
	Requested,
	/// The gateway has taken it up (its bank transfer is under way).
	#[codec(index = 1)]
	Processing,
}

/// An open withdrawal request.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Withdrawal<AccountId, BlockNumber> {
	/// Who asked; the coins go back to them if the request does not complete.
	pub who: AccountId,
	/// The gateway that pays it out.
	pub gateway: AccountId,
	/// The stablecoin.
	pub asset: AssetId,
	/// The coins held for it.
	pub amount: Balance,
	/// The hash of the bank details to pay (registered by the gateway for this account).
	pub destination: H256,
	/// Where it stands.
	pub status: WithdrawalStatus,
	/// The block of its last status change (its request, or the gateway taking it up).
	pub since: BlockNumber,
}

/// A [`Withdrawal`] of the runtime's accounts and block number.
pub type WithdrawalOf<T> = Withdrawal<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// Supply against reserves for one stablecoin (computed, never stored).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Reserves<BlockNumber> {
	/// The stablecoin.
	pub asset: AssetId,
	/// Its total supply.
	pub supply: Balance,
	/// The sum of its gateways' outstanding amounts (equal to `supply`: the pallet's invariant).
	pub outstanding: Balance,
	/// The sum of its gateways' latest attested reserves.
	pub attested: Balance,
	/// The oldest of its gateways' latest attestations (`None` if a gateway has none).
	pub last_attested: Option<BlockNumber>,
}

/// [`Reserves`] of the runtime's block number.
pub type ReservesOf<T> = Reserves<BlockNumberFor<T>>;
