//! # Entrepot primitives
//!
//! The small shared crate every Entrepot crate depends on: the chain's basic types, the
//! currency kinds an order can be paid in, and the native token's constants. Pallets talk to
//! each other only through the types and traits defined here; no pallet reads another's
//! storage.

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

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, FullCodec, MaxEncodedLen};
use frame_support::storage::IterableStorageDoubleMap;
use scale_info::TypeInfo;
pub use sp_core::H256;
use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	DispatchError, DispatchResult, MultiSignature, Permill,
};

pub use due_queue::DueQueue;
pub use frame_support::traits::tokens::fungible::NativeOrWithId;

mod due_queue;

/// Signature of a transaction.
pub type Signature = MultiSignature;

/// An account on the chain: the public key of the transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// An amount of any currency on the chain, in its smallest unit.
pub type Balance = u128;

/// A block number.
pub type BlockNumber = u32;

/// How many transactions an account has sent.
pub type Nonce = u32;

/// Identifier of a `pallet-assets` asset (stablecoins, the loyalty token).
pub type AssetId = u32;

/// The currency an amount is denominated in: the native token or an asset.
pub type CurrencyId = NativeOrWithId<AssetId>;

/// Constants of the native token, `ENT`.
pub mod currency {
	use super::Balance;

	/// Ticker of the native token.
	pub const TOKEN_SYMBOL: &str = "ENT";
	/// Decimal places of the native token.
	pub const TOKEN_DECIMALS: u8 = 12;
	/// One whole `ENT`.
	pub const UNITS: Balance = 1_000_000_000_000;
	/// One thousandth of an `ENT`.
	pub const MILLI_UNITS: Balance = UNITS / 1_000;
	/// One millionth of an `ENT`.
	pub const MICRO_UNITS: Balance = UNITS / 1_000_000;

	/// The deposit for storing `items` entries taking `bytes` bytes in total.
	///
	/// A storage item costs 1/100 ENT plus 100 µENT per byte: a 200-byte order record costs
	/// 0.03 ENT, returned when it is removed.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		(items as Balance)
			.saturating_mul(10 * MILLI_UNITS)
			.saturating_add((bytes as Balance).saturating_mul(100 * MICRO_UNITS))
	}
}

/// Time, measured in blocks of [`time::MILLISECS_PER_BLOCK`].
pub mod time {
	use super::BlockNumber;

	/// Target block time. Aura slots have this length: one second, so that a payment is
	/// final in about a second (GRANDPA votes on the best block). Every window defined below
	/// in minutes, hours or days keeps its meaning in time.
	pub const MILLISECS_PER_BLOCK: u64 = 1_000;
	/// One minute of blocks.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// One hour of blocks.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// One day of blocks.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// Identifier of an order. Escrows are keyed by the order they pay for.
pub type OrderId = u64;

/// The payment reference given to an order that had none: its id, big-endian, in the last
/// eight bytes (orders placed before references existed, migrated by the orders pallet).
pub fn legacy_reference(order_id: OrderId) -> H256 {
	let mut bytes = [0u8; 32];
	bytes[24..].copy_from_slice(&order_id.to_be_bytes());
	H256(bytes)
}

/// How an order is paid.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum PaymentMode {
	/// Protected: the total is locked in escrow until receipt is confirmed.
	#[codec(index = 0)]
	Escrow,
	/// Peer-to-peer digital cash: paid to the merchant at once, without protection.
	#[codec(index = 1)]
	Direct,
}

/// The state of one order's escrow, as the payment layer records it.
///
/// At every moment `locked + refunded + released_gross == amount` and
/// `released_net + fees == released_gross`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct EscrowInfo<AccountId> {
	/// Who paid; refunds go back to this account.
	pub payer: AccountId,
	/// Who is paid when the funds are released.
	pub payee: AccountId,
	/// The currency of every amount below.
	pub currency: CurrencyId,
	/// What the payer locked in total.
	pub amount: Balance,
	/// What is still locked.
	pub locked: Balance,
	/// What was returned to the payer so far.
	pub refunded: Balance,
	/// What was released towards the payee so far, before the fee.
	pub released_gross: Balance,
	/// What the payee received so far (`released_gross - fees`).
	pub released_net: Balance,
	/// What the platform's fee account received so far.
	pub fees: Balance,
}

/// The amounts of one payout: `gross == net + fee`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Payout {
	/// The amount taken from the escrow (or from the payer, for a direct payment).
	pub gross: Balance,
	/// The platform fee taken out of `gross`.
	pub fee: Balance,
	/// What the payee received.
	pub net: Balance,
}

/// The payment layer as seen by the business layer (orders) and by disputes.
///
/// The only code that moves escrowed money implements this trait (`pallet-escrow`). Every
/// function is atomic: it either does everything or changes nothing. Each call that moves
/// money carries the order's payment `reference`, which the payment
/// layer's events repeat, so a merchant's books match every movement to its invoice.
pub trait Escrow<AccountId> {
	/// Locks `amount` of `currency` from `payer` for `order`, payable to `payee`: the funds
	/// leave the payer's account (only funds no freeze covers) and are held by the payment
	/// layer until refunded, released or forfeited.
	fn lock(
		order: OrderId,
		reference: H256,
		payer: &AccountId,
		payee: &AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> DispatchResult;

	/// Locks `amount` of `currency` for `order` as [`Self::lock`] does, but the funds come from
	/// `fund`, which must move exactly `amount` into the account it is given (the payment
	/// layer's): e.g. the payer's purchase of the order's currency, paid by the pools straight
	/// into escrow. Refunds still go to `payer`. Fails, with nothing moved, if `fund` fails or
	/// moves any other amount.
	fn lock_funded(
		order: OrderId,
		reference: H256,
		payer: &AccountId,
		payee: &AccountId,
		currency: CurrencyId,
		amount: Balance,
		fund: &dyn Fn(&AccountId) -> DispatchResult,
	) -> DispatchResult;

	/// Returns `amount` of the order's locked funds to the payer. No fee is taken on refunds.
	fn refund(order: OrderId, reference: H256, amount: Balance) -> DispatchResult;

	/// Pays `amount` of the order's locked funds to the payee, minus the platform fee.
	fn release(order: OrderId, reference: H256, amount: Balance) -> Result<Payout, DispatchError>;

	/// Pays `amount` of the order's locked funds to the platform's fee account, as a fee: for
	/// dust (below the currency's minimum balance) its recipient cannot receive any more.
	/// Fails for anything larger.
	fn forfeit(order: OrderId, reference: H256, amount: Balance) -> DispatchResult;

	/// What is still locked for `order`, if it has an open escrow.
	fn locked(order: OrderId) -> Option<(CurrencyId, Balance)>;

	/// The full state of the order's escrow, if it is open.
	fn escrow_info(order: OrderId) -> Option<EscrowInfo<AccountId>>;

	/// A direct (unprotected, peer-to-peer) payment for `order`: `payer` pays `payee` at once,
	/// minus the platform fee.
	fn pay_direct(
		order: OrderId,
		reference: H256,
		payer: &AccountId,
		payee: &AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> Result<Payout, DispatchError>;

	/// Pays `amount` of `currency` from the platform's fee account to `who`, as compensation
	/// decided about `order` (a platform dispute). The fee account is kept alive.
	fn compensate(
		order: OrderId,
		reference: H256,
		who: &AccountId,
		currency: CurrencyId,
		amount: Balance,
	) -> DispatchResult;
}

/// Currency exchange at checkout, as the business layer (orders) sees it.
///
/// The runtime implements it with `pallet-exchange` over the `pallet-asset-conversion` pools.
/// Every function is atomic: it either does everything or changes nothing.
pub trait Exchange<AccountId> {
	/// What buying exactly `amount` of `receive` with `pay` costs now, the pools' fees
	/// included; `None` if no pool route exists or the pools are too shallow.
	fn quote(pay: &CurrencyId, receive: &CurrencyId, amount: Balance) -> Option<Balance>;

	/// Buys exactly `amount` of `receive`, paid to `send_to`, with at most `max_pay` of `who`'s
	/// `pay`; returns what it paid. `who`'s account of `pay` is kept alive.
	fn buy(
		who: &AccountId,
		pay: &CurrencyId,
		receive: &CurrencyId,
		amount: Balance,
		max_pay: Balance,
		send_to: &AccountId,
	) -> Result<Balance, DispatchError>;

	/// Converts a refund back into the currency a customer paid, at the rate it paid: `who`
	/// gives exactly `amount` of `from` (which it has just been refunded) and receives exactly
	/// `owed` of `to`. The platform sells `amount` in the pools and pays `owed`: it bears the
	/// difference, whichever way the price moved.
	fn convert_refund(
		who: &AccountId,
		from: &CurrencyId,
		amount: Balance,
		to: &CurrencyId,
		owed: Balance,
	) -> DispatchResult;

	/// What `native` of the native token is worth in `currency` at governance's reference
	/// rate, rounded up; the native amount itself for the native token; `None` if `currency`
	/// has no reference rate.
	fn native_value_in(currency: &CurrencyId, native: Balance) -> Option<Balance>;

	/// What `amount` of `from` is worth in `to` at governance's reference rates, rounded up;
	/// `amount` itself if `from == to`; `None` if either has no reference rate.
	fn reference_value(from: &CurrencyId, to: &CurrencyId, amount: Balance) -> Option<Balance>;
}

/// No exchange: every quote and conversion fails, and only the native token has a value.
impl<AccountId> Exchange<AccountId> for () {
	fn quote(_: &CurrencyId, _: &CurrencyId, _: Balance) -> Option<Balance> {
		None
	}
	fn buy(
		_: &AccountId,
		_: &CurrencyId,
		_: &CurrencyId,
		_: Balance,
		_: Balance,
		_: &AccountId,
	) -> Result<Balance, DispatchError> {
		Err(DispatchError::Other("no exchange"))
	}
	fn convert_refund(
		_: &AccountId,
		_: &CurrencyId,
		_: Balance,
		_: &CurrencyId,
		_: Balance,
	) -> DispatchResult {
		Err(DispatchError::Other("no exchange"))
	}
	fn native_value_in(currency: &CurrencyId, native: Balance) -> Option<Balance> {
		matches!(currency, NativeOrWithId::Native).then_some(native)
	}
	fn reference_value(from: &CurrencyId, to: &CurrencyId, amount: Balance) -> Option<Balance> {
		(from == to).then_some(amount)
	}
}

/// Which of an order's money a dispute is about.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum DisputeScope {
	/// The escrowed money of a shipped order that is not settled yet (an agreement dispute).
	#[codec(index = 0)]
	Escrow,
	/// The holdback of a settled order, within its after-sales window (an after-sales dispute).
	#[codec(index = 1)]
	Holdback,
}

/// One of the two parties of an order.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
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

/// An order's parties and the money a dispute froze.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct FrozenOrder<AccountId> {
	/// Who paid for the order.
	pub customer: AccountId,
	/// Who sold it.
	pub merchant: AccountId,
	/// The currency of `amount`.
	pub currency: CurrencyId,
	/// What is frozen: everything still locked for the order.
	pub amount: Balance,
}

/// The orders of the business layer as seen by the disputes pallet.
///
/// Implemented by `pallet-orders`, which alone decides what an order's money does and moves it
/// through [`Escrow`]. Every function is atomic.
pub trait OrderDisputes<AccountId> {
	/// The customer, the merchant and the currency of an open order.
	fn parties(order: OrderId) -> Option<(AccountId, AccountId, CurrencyId)>;

	/// The payment reference of an open order.
	fn reference(order: OrderId) -> Option<H256>;

	/// The currency the customer paid an open order in, if it was exchanged at checkout (not
	/// the order's own currency).
	fn paid_in(order: OrderId) -> Option<CurrencyId>;

	/// Freezes an order for a dispute about `scope` opened by `opener`: its timer stops,
	/// neither party can move it on, and its locked money stays where it is until
	/// [`Self::resolve`] or [`Self::unfreeze`]. Fails if the order is not in a state that
	/// `scope` can be disputed in, or that `opener` may dispute (a merchant disputes only a
	/// pending refund step, never the customer's plain auto-confirm clock).
	fn freeze(
		order: OrderId,
		scope: DisputeScope,
		opener: Side,
	) -> Result<FrozenOrder<AccountId>, DispatchError>;

	/// What a frozen order still has locked; `None` if the order is not frozen.
	fn frozen(order: OrderId) -> Option<Balance>;

	/// Ends a frozen order's dispute: `refund` of the frozen money goes back to the customer,
	/// all the rest to the merchant (minus the platform fee), and the order is archived.
	/// Returns what the merchant's side received.
	fn resolve(order: OrderId, refund: Balance) -> Result<Payout, DispatchError>;

	/// Ends a frozen order's dispute without a decision: the order goes back to the state it
	/// was frozen in and its own rules decide what happens to its money (nobody wins by the
	/// dispute having been opened). A state waiting for a party (shipped, a refund step) gets
	/// a fresh window for its deadline; a settled order keeps the end of its after-sales
	/// window (so disputes cannot stretch it), and is paid out at once if it closed meanwhile.
	fn unfreeze(order: OrderId) -> DispatchResult;

	/// The platform fees taken so far on an open order's payouts (zero if none; `None` if the
	/// order is not open).
	fn platform_fees(order: OrderId) -> Option<Balance>;
}

/// How an order ended.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum OrderOutcome {
	/// Delivered and paid to the merchant (possibly after a partial refund).
	#[codec(index = 0)]
	Completed,
	/// Cancelled by the customer before shipping.
	#[codec(index = 1)]
	Cancelled,
	/// Rejected by the merchant before shipping.
	#[codec(index = 2)]
	Rejected,
	/// Not shipped in time; refunded automatically.
	#[codec(index = 3)]
	Expired,
	/// Refunded in full after shipping.
	#[codec(index = 4)]
	Refunded,
}

/// A completed order, as [`OrderHooks::on_completed`] tells it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Completion<AccountId, BlockNumber> {
	/// Who bought.
	pub customer: AccountId,
	/// Who sold.
	pub merchant: AccountId,
	/// The order's currency.
	pub currency: CurrencyId,
	/// What the order is worth to the merchant now.
	pub value: Balance,
	/// The platform fees taken on the order's payouts so far.
	pub fees: Balance,
	/// The end of the after-sales window (now, for a direct order).
	pub vests_at: BlockNumber,
}

/// Told by the orders pallet whenever an order's money moves or the order ends, so that
/// loyalty, statements and disputes can follow orders without reading their storage.
///
/// Every function has an empty default. `()` listens to nothing; a tuple of listeners (up to
/// five) tells each of them in turn, e.g. `(Loyalty, Statements)`.
pub trait OrderHooks<AccountId, BlockNumber> {
	/// An order was placed and paid (locked in escrow, or paid directly).
	fn on_placed(
		_order: OrderId,
		_customer: &AccountId,
		_merchant: &AccountId,
		_currency: CurrencyId,
		_total: Balance,
		_mode: PaymentMode,
	) {
	}

	/// Part of an order's money was paid to the merchant.
	fn on_settled(_order: OrderId, _merchant: &AccountId, _currency: CurrencyId, _payout: Payout) {}

	/// Part of an order's money was returned to the customer.
	fn on_refunded(
		_order: OrderId,
		_customer: &AccountId,
		_currency: CurrencyId,
		_amount: Balance,
	) {
	}

	/// The customer's receipt of the order was confirmed (by the customer or by the clock):
	/// `value` is what the order is worth to the merchant at that moment (what is settled for
	/// an escrow order, the total of a shipped direct order), and `fees` the platform fees
	/// taken on the order's payouts so far. Refunds still possible until `vests_at` (the end
	/// of the after-sales window; now, for a direct order) are reported through
	/// [`Self::on_refunded`], later fees through [`Self::on_settled`]. Told at most once per
	/// order.
	fn on_completed(_order: OrderId, _completion: &Completion<AccountId, BlockNumber>) {}

	/// The order reached its final state and was archived.
	fn on_archived(
		_order: OrderId,
		_customer: &AccountId,
		_merchant: &AccountId,
		_outcome: OrderOutcome,
	) {
	}
}

#[impl_trait_for_tuples::impl_for_tuples(5)]
impl<AccountId, BlockNumber: Copy> OrderHooks<AccountId, BlockNumber> for Tuple {
	fn on_placed(
		order: OrderId,
		customer: &AccountId,
		merchant: &AccountId,
		currency: CurrencyId,
		total: Balance,
		mode: PaymentMode,
	) {
		for_tuples!( #( Tuple::on_placed(order, customer, merchant, currency.clone(), total, mode); )* );
	}

	fn on_settled(order: OrderId, merchant: &AccountId, currency: CurrencyId, payout: Payout) {
		for_tuples!( #( Tuple::on_settled(order, merchant, currency.clone(), payout); )* );
	}

	fn on_refunded(order: OrderId, customer: &AccountId, currency: CurrencyId, amount: Balance) {
		for_tuples!( #( Tuple::on_refunded(order, customer, currency.clone(), amount); )* );
	}

	fn on_completed(order: OrderId, completion: &Completion<AccountId, BlockNumber>) {
		for_tuples!( #( Tuple::on_completed(order, completion); )* );
	}

	fn on_archived(
		order: OrderId,
		customer: &AccountId,
		merchant: &AccountId,
		outcome: OrderOutcome,
	) {
		for_tuples!( #( Tuple::on_archived(order, customer, merchant, outcome); )* );
	}
}

/// An open escrow order as the loyalty pallet sees it, to pay part of it with loyalty tokens.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct DiscountableOrder<AccountId> {
	/// Who paid for the order.
	pub customer: AccountId,
	/// Who sells it.
	pub merchant: AccountId,
	/// The currency of every amount below.
	pub currency: CurrencyId,
	/// What the customer paid.
	pub total: Balance,
	/// The share of `total` the merchant lets customers pay with loyalty tokens (its policy
	/// when the order was placed; zero: not accepted).
	pub loyalty_share: Permill,
	/// What was already returned to the customer as loyalty discounts.
	pub discounted: Balance,
}

impl<AccountId> DiscountableOrder<AccountId> {
	/// The most discount the order still allows: `loyalty_share × total - discounted`.
	pub fn discount_room(&self) -> Balance {
		self.loyalty_share.mul_floor(self.total).saturating_sub(self.discounted)
	}
}

/// The orders of the business layer as seen by the loyalty pallet.
///
/// Implemented by `pallet-orders`. Every function is atomic.
pub trait OrderDiscounts<AccountId> {
	/// An escrow order that can still be discounted: open, not shipped-and-settled, not in a
	/// refund step and not disputed. `None` otherwise.
	fn discountable(order: OrderId) -> Option<DiscountableOrder<AccountId>>;

	/// Returns `amount` of the order's escrow to `customer` as a loyalty discount (the
	/// merchant funds it). Fails unless the order is [`Self::discountable`], `customer` is its
	/// customer, `amount` is positive and within [`DiscountableOrder::discount_room`].
	fn discount(order: OrderId, customer: &AccountId, amount: Balance) -> DispatchResult;

	/// Whether the order is still open (not archived): refunds of it remain possible.
	fn is_open(order: OrderId) -> bool;
}

/// Sets up orders for the benchmarks of the loyalty pallet.
///
/// The runtime implements it with the real orders pallet (and the real token pallets).
pub trait LoyaltyBenchmarkHelper<AccountId> {
	/// The currency the orders are paid in; it must exist when this returns.
	fn currency() -> CurrencyId;
	/// Registers `merchant` (if needed) with a policy accepting loyalty tokens for up to
	/// `loyalty_share` of an order, has `customer` place and pay an escrow order of `amount`
	/// with it (not shipped) and returns it. Funds both accounts for fees and deposits.
	fn discountable_order(
		customer: &AccountId,
		merchant: &AccountId,
		amount: Balance,
		loyalty_share: Permill,
	) -> OrderId;
	/// Makes sure `who` can hold the loyalty token (e.g. endows it with the native token).
	fn endow(who: &AccountId);
}

/// Sets up currencies and balances for the benchmarks of the pallets that take payments.
///
/// The runtime implements it with the real token pallets (e.g. create a stablecoin and mint
/// it); benchmarks never reach into those pallets themselves.
pub trait CurrencyBenchmarkHelper<AccountId> {
	/// The currency the benchmarks pay in; it must exist when this returns.
	fn currency() -> CurrencyId;
	/// Makes `who`'s free balance of `currency` at least `amount` (and of the native token,
	/// for fees and deposits).
	fn fund(who: &AccountId, currency: CurrencyId, amount: Balance);
	/// A second currency the exchange can buy [`Self::currency`] with (for orders paid in
	/// another currency); [`Self::currency`] itself where there is no exchange.
	fn pay_currency() -> CurrencyId {
		Self::currency()
	}
}

/// Sets up orders for the benchmarks of the disputes pallet.
///
/// The runtime implements it with the real orders pallet; the disputes benchmarks never reach
/// into it themselves.
pub trait DisputesBenchmarkHelper<AccountId> {
	/// Registers `merchant` (if needed), has `customer` place and pay an escrow order with it
	/// and moves the order to where `scope` can be disputed: shipped for
	/// [`DisputeScope::Escrow`], settled with a holdback inside the after-sales window for
	/// [`DisputeScope::Holdback`]. Funds both accounts for fees and deposits.
	fn disputable_order(customer: &AccountId, merchant: &AccountId, scope: DisputeScope)
		-> OrderId;
}

/// A page of an index: the second keys stored under `key` in the double map `Index` (whose
/// values are `()`), in storage order, after `start_after`, at most `limit` of them. The
/// runtime APIs that list a party's orders or disputes page with it.
pub fn index_page<Index, K1, K2>(key: &K1, start_after: Option<K2>, limit: usize) -> Vec<K2>
where
	Index: IterableStorageDoubleMap<K1, K2, ()>,
	K1: FullCodec,
	K2: FullCodec,
{
	match start_after {
		Some(after) => Index::iter_key_prefix_from(key, Index::hashed_key_for(key, after))
			.take(limit)
			.collect(),
		None => Index::iter_key_prefix(key).take(limit).collect(),
	}
}
