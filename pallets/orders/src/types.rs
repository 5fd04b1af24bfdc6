//! Every type the orders pallet stores or takes as a call argument, and their `…Of<T>` aliases.
//! All are bounded and have `MaxEncodedLen`; stored enums carry explicit codec indices.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use entrepot_primitives::{Balance, CurrencyId, DisputeScope, PaymentMode};
use frame_support::{BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{FixedU128, Permill};

/// A merchant's policy: what it accepts and how long each step of an order may take.
///
/// Frozen into every order at checkout; a later [`crate::Pallet::update_policy`] changes only
/// orders placed afterwards.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct MerchantPolicy<T: Config> {
	/// The currencies the merchant accepts (no duplicates, at least one).
	pub currencies: BoundedVec<CurrencyId, T::MaxCurrencies>,
	/// Blocks the merchant has to ship after an order is placed; then it is refunded.
	pub ship_within: BlockNumberFor<T>,
	/// Blocks after shipping at which receipt is confirmed automatically.
	pub auto_confirm_after: BlockNumberFor<T>,
	/// Blocks the merchant has to answer a refund request; silence is acceptance.
	pub refund_response_within: BlockNumberFor<T>,
	/// Blocks the customer has to send goods back once a refund with return is accepted,
	/// and then the merchant has to confirm their arrival (silence is confirmation).
	pub return_window: BlockNumberFor<T>,
	/// Blocks after settlement during which the holdback stays locked and the customer may
	/// still ask for a refund against it.
	pub after_sales_window: BlockNumberFor<T>,
	/// Share of the settled amount kept locked until the after-sales window closes.
	pub holdback: Permill,
	/// Share of an order the customer may pay with loyalty tokens (0: not accepted). Used by
	/// the loyalty pallet.
	pub loyalty_share: Permill,
}

/// The policy type of a runtime.
pub type PolicyOf<T> = MerchantPolicy<T>;

/// The lowest and highest value governance allows for one window.
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
pub struct WindowBounds<BlockNumber> {
	/// The shortest allowed window (at least one block).
	pub min: BlockNumber,
	/// The longest allowed window.
	pub max: BlockNumber,
}

/// Governance-set bounds every merchant policy must respect.
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
pub struct PolicyBounds<BlockNumber> {
	/// Bounds of [`MerchantPolicy::ship_within`].
	pub ship_within: WindowBounds<BlockNumber>,
	/// Bounds of [`MerchantPolicy::auto_confirm_after`].
	pub auto_confirm_after: WindowBounds<BlockNumber>,
	/// Bounds of [`MerchantPolicy::refund_response_within`].
	pub refund_response_within: WindowBounds<BlockNumber>,
	/// Bounds of [`MerchantPolicy::return_window`].
	pub return_window: WindowBounds<BlockNumber>,
	/// Bounds of [`MerchantPolicy::after_sales_window`].
	pub after_sales_window: WindowBounds<BlockNumber>,
	/// The highest allowed [`MerchantPolicy::holdback`].
	pub max_holdback: Permill,
}

/// The policy bounds of a runtime.
pub type PolicyBoundsOf<T> = PolicyBounds<BlockNumberFor<T>>;

/// A registered merchant.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct MerchantInfo<T: Config> {
	/// The policy frozen into orders placed from now on.
	pub policy: MerchantPolicy<T>,
	/// The deposit held for the registration.
	pub deposit: Balance,
}

/// One line of an order.
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
pub struct LineItem {
	/// A reference to the product (a hash of its off-chain description; no clear text).
	pub product: H256,
	/// How many units.
	pub quantity: u32,
	/// The price of one unit, in the order's currency.
	pub unit_price: Balance,
}

/// Why the customer asks for a refund.
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
pub enum RefundReason {
	/// The goods did not arrive.
	#[codec(index = 0)]
	NotReceived,
	/// The goods are not as described.
	#[codec(index = 1)]
	NotAsDescribed,
	/// The goods arrived damaged.
	#[codec(index = 2)]
	Damaged,
	/// Wrong item or quantity.
	#[codec(index = 3)]
	WrongItem,
	/// The customer changed their mind.
	#[codec(index = 4)]
	ChangedMind,
	/// Another reason, explained off chain.
	#[codec(index = 5)]
	Other,
}

/// A customer's refund request.
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
pub struct RefundRequest {
	/// The amount asked back.
	pub amount: Balance,
	/// Whether the goods are sent back first.
	pub return_goods: bool,
	/// Why.
	pub reason: RefundReason,
}

/// Where an order stands. Every state but `Settled` has a deadline and a default outcome;
/// `Settled` ends when the order's after-sales window closes.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum OrderStatus<T: Config> {
	/// Escrow order paid and locked, waiting to be shipped; refunded automatically at
	/// `ship_by`.
	#[codec(index = 0)]
	Placed {
		/// Deadline to ship.
		ship_by: BlockNumberFor<T>,
	},
	/// Shipped; receipt is confirmed automatically at `confirm_by`.
	#[codec(index = 1)]
	Shipped {
		/// When receipt is confirmed automatically.
		confirm_by: BlockNumberFor<T>,
	},
	/// A refund request waits for the merchant; accepted automatically at `respond_by`.
	#[codec(index = 2)]
	RefundRequested {
		/// The request.
		request: RefundRequest,
		/// Deadline for the merchant's answer.
		respond_by: BlockNumberFor<T>,
	},
	/// A refund with return was accepted; the customer must send the goods back by
	/// `return_by`, or the request lapses.
	#[codec(index = 3)]
	AwaitingReturn {
		/// The request.
		request: RefundRequest,
		/// Deadline to mark the goods returned.
		return_by: BlockNumberFor<T>,
	},
	/// The customer marked the goods returned; their arrival is confirmed automatically at
	/// `confirm_by`.
	#[codec(index = 4)]
	Returned {
		/// The request.
		request: RefundRequest,
		/// When the return is confirmed automatically.
		confirm_by: BlockNumberFor<T>,
	},
	/// The merchant was paid; the holdback (if any) stays locked until
	/// [`Order::after_sales_until`].
	#[codec(index = 5)]
	Settled,
	/// Direct order, paid; archived unshipped at `ship_by`.
	#[codec(index = 6)]
	DirectPaid {
		/// Deadline to ship.
		ship_by: BlockNumberFor<T>,
	},
	/// Direct order, shipped; archived (receipt confirmed) at `confirm_by`.
	#[codec(index = 7)]
	DirectShipped {
		/// When receipt is confirmed automatically.
		confirm_by: BlockNumberFor<T>,
	},
	/// Frozen by a dispute: no timer moves it and neither party can act on it; the disputes
	/// pallet ends it through [`entrepot_primitives::OrderDisputes::resolve`], which pays the
	/// locked money out and archives the order, or through
	/// [`entrepot_primitives::OrderDisputes::unfreeze`], which puts it back where it was.
	#[codec(index = 8)]
	Disputed {
		/// Which money the dispute is about.
		scope: DisputeScope,
		/// The state it was frozen in.
		from: FrozenFrom,
	},
}

/// The state a disputed order was frozen in; it goes back there, with a fresh window, if the
/// dispute ends without a decision.
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
pub enum FrozenFrom {
	/// Shipped, waiting for receipt.
	#[codec(index = 0)]
	Shipped,
	/// A refund request waited for the merchant's answer.
	#[codec(index = 1)]
	RefundRequested(RefundRequest),
	/// Goods were to be sent back.
	#[codec(index = 2)]
	AwaitingReturn(RefundRequest),
	/// Goods were sent back, their arrival not confirmed yet.
	#[codec(index = 3)]
	Returned(RefundRequest),
	/// Settled, in the after-sales window.
	#[codec(index = 4)]
	Settled,
}

/// An order, open until archived.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Order<T: Config> {
	/// Who placed and paid the order.
	pub customer: T::AccountId,
	/// Who sells.
	pub merchant: T::AccountId,
	/// The currency of every amount of the order.
	pub currency: CurrencyId,
	/// The line items.
	pub items: BoundedVec<LineItem, T::MaxItems>,
	/// The freight cost.
	pub freight: Balance,
	/// Items plus freight: what the customer paid.
	pub total: Balance,
	/// Hash of the off-chain order document.
	pub details_hash: H256,
	/// Optionally, the order document encrypted for the merchant.
	pub encrypted_details: Option<BoundedVec<u8, T::MaxEncryptedLen>>,
	/// How it was paid.
	pub mode: PaymentMode,
	/// The merchant's policy when the order was placed.
	pub policy: MerchantPolicy<T>,
	/// When it was placed.
	pub placed_at: BlockNumberFor<T>,
	/// The customer's storage deposit, held until the order is archived.
	pub deposit: Balance,
	/// Where it stands.
	pub status: OrderStatus<T>,
	/// The shipment's tracking reference, once shipped.
	pub tracking: Option<H256>,
	/// The return shipment's tracking reference, once goods are sent back.
	pub return_tracking: Option<H256>,
	/// What escrow still locks for this order (escrow mode).
	pub locked: Balance,
	/// What was refunded to the customer so far.
	pub refunded: Balance,
	/// What was released towards the merchant so far, before the platform fee.
	pub paid_out: Balance,
	/// The platform fees taken out of `paid_out` so far.
	pub fees: Balance,
	/// What was returned to the customer as loyalty discounts (paid with loyalty tokens),
	/// part of `refunded`.
	pub discounted: Balance,
	/// Set when the merchant is paid: the end of the after-sales window.
	pub after_sales_until: Option<BlockNumberFor<T>>,
	/// Whether a refund was already requested against the escrow (one request per phase;
	/// a rejected request goes to a dispute).
	pub escrow_refund_requested: bool,
	/// Whether a refund was already requested against the holdback.
	pub holdback_refund_requested: bool,
	/// The merchant-side payment reference (e.g. an invoice id): unique among the merchant's
	/// open orders.
	pub reference: H256,
	/// The currency the deposit is held in: the native token, or the currency the customer
	/// paid in if it holds no native token to spare.
	pub deposit_currency: CurrencyId,
	/// Set when the customer paid in another currency, exchanged at checkout.
	pub exchange: Option<Conversion>,
}

/// How an order paid in another currency was paid. Refunds go back in that currency at the
/// same rate (see [`crate::Pallet::place_order_exchanged`]).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Conversion {
	/// The currency the customer paid in.
	pub currency: CurrencyId,
	/// What it paid, the pools' fees included.
	pub paid: Balance,
	/// Units of `currency` paid per unit of the order's currency: `paid / total`.
	pub rate: FixedU128,
}

/// A price for paying an order in another currency, as the runtime API gives it to a checkout
/// page: the customer signs [`crate::Pallet::place_order_exchanged`] with `pay_amount` (or
/// more, for slippage) as its maximum and `expires_at` as the quote's expiry.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Quote<BlockNumber> {
	/// The currency the customer pays in.
	pub pay_currency: CurrencyId,
	/// What it pays now, the pools' fees included.
	pub pay_amount: Balance,
	/// The order's currency.
	pub currency: CurrencyId,
	/// The order's total.
	pub amount: Balance,
	/// `pay_amount / amount`.
	pub rate: FixedU128,
	/// The last block the quote may be used in.
	pub expires_at: BlockNumber,
}

/// The quote type of a runtime.
pub type QuoteOf<T> = Quote<BlockNumberFor<T>>;

/// The order type of a runtime.
pub type OrderOf<T> = Order<T>;

/// What a timer does when it fires. Every state but `Settled` of an open order has exactly one
/// timer, its deadline; `Settled` has the end of the after-sales window. A timer whose order
/// has moved on is ignored (it cannot happen: a state change replaces the timer).
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
	/// Not shipped in time: refund (escrow) or archive (direct).
	#[codec(index = 0)]
	ShipBy,
	/// Receipt confirmed automatically.
	#[codec(index = 1)]
	AutoConfirm,
	/// The merchant did not answer a refund request: accepted.
	#[codec(index = 2)]
	RefundResponse,
	/// The customer did not send the goods back: the request lapses.
	#[codec(index = 3)]
	ReturnBy,
	/// The merchant did not confirm a return: confirmed.
	#[codec(index = 4)]
	ReturnConfirm,
	/// The after-sales window closed: the holdback is paid and the order archived.
	#[codec(index = 5)]
	AfterSalesEnd,
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

/// What a customer orders: the arguments [`crate::Pallet::place_order`] and
/// [`crate::Pallet::place_order_exchanged`] share.
pub struct Checkout<T: Config> {
	/// Who sells.
	pub merchant: T::AccountId,
	/// The order's currency, one the merchant accepts.
	pub currency: CurrencyId,
	/// The line items.
	pub items: BoundedVec<LineItem, T::MaxItems>,
	/// The freight cost.
	pub freight: Balance,
	/// Hash of the off-chain order document.
	pub details_hash: H256,
	/// Optionally, the order document encrypted for the merchant.
	pub encrypted_details: Option<BoundedVec<u8, T::MaxEncryptedLen>>,
	/// Escrow or direct.
	pub mode: PaymentMode,
	/// The merchant-side payment reference.
	pub reference: H256,
}

/// How a customer pays an order in another currency: the quote it signed.
pub struct PayWith<BlockNumber> {
	/// The currency it pays in.
	pub currency: CurrencyId,
	/// The most it pays.
	pub max_pay: Balance,
	/// The last block the quote holds.
	pub quote_expires: BlockNumber,
}
