//! # Orders pallet
//!
//! Entrepot's business layer: merchants and their policies, orders and their lifecycle from
//! checkout to settlement, refunds and returns.
//!
//! ## Overview
//!
//! A merchant registers with a [`MerchantPolicy`] (accepted currencies, the windows of each
//! step, a holdback share) and a deposit. A customer places an order (line items, freight, the
//! hash of the off-chain order document and optionally the document encrypted for the
//! merchant) and pays it either through escrow (protected) or directly (peer-to-peer). This
//! pallet decides *what* happens to an order's money; the payment layer behind
//! [`Config::Escrow`] (`pallet-escrow`) is the only code that moves it.
//!
//! ## Terminology
//!
//! - **Policy**: a merchant's terms, frozen into every order at checkout.
//! - **Holdback**: the share of the settled amount kept locked until the after-sales window
//!   closes, so that an after-sales refund can still be paid.
//! - **Timer**: the deadline of an order's current state, processed by the chain itself (see
//!   [`Timers`]): within a bounded share of every block in `on_initialize`, and with what the
//!   block leaves in `on_idle`. Anyone may also fire an overdue deadline at once with
//!   [`Pallet::poke`]. Silence never freezes money: every state but `Settled` has a deadline
//!   and a default outcome, and `Settled` ends with the after-sales window.
//! - **Archive**: an order in its final state is removed with its indexes and the customer's
//!   storage deposit is returned.
//!
//! ## Lifecycle of an escrow order
//!
//! ```text
//! place_order ─> Placed ──mark_shipped──> Shipped ──confirm_receipt / auto-confirm──> Settled
//!                  │ cancel/reject/             │ request_refund                    │ after-sales
//!                  │ not shipped in time        v                                   │ window closes:
//!                  └─> refunded, archived   RefundRequested ─reject─> Shipped       │ holdback paid,
//!                                               │ accept / silence                  v archived
//!                                               ├─ no return: refund paid, rest settles
//!                                               └─ return: AwaitingReturn ─mark_returned─> Returned
//!                                                    │ no return in time: lapses,      │ confirm_return /
//!                                                    v settles as if confirmed         v silence: refund
//!                                                                                        paid, rest settles
//! ```
//!
//! Within the after-sales window the customer may ask once for a refund against the holdback
//! (same request/answer/return steps; the order returns to `Settled` afterwards). A rejected
//! request leaves the order where it was (with the auto-confirm clock restarted before
//! settlement, so the customer has a full auto-confirm period to open a dispute); one request
//! is allowed per phase, the next step is a dispute.
//!
//! A dispute (the disputes pallet, through [`entrepot_primitives::OrderDisputes`]) freezes a
//! shipped escrow order, or a settled order's holdback within the after-sales window: the
//! order goes to `Disputed`, its timers stop having effect and neither party can move it on.
//! The dispute's outcome refunds part of the frozen money, pays the rest to the merchant
//! (minus the platform fee) and archives the order.
//!
//! Direct orders are paid at once and only recorded: the merchant may mark them shipped and
//! the customer confirm receipt; they are archived when confirmed (or auto-confirmed), or
//! when not shipped in time. No timer moves money for them.
//!
//! ## Interface
//!
//! Anyone: [`Pallet::poke`] (fires an order's overdue deadline).
//! Merchants: [`Pallet::register_merchant`], [`Pallet::update_policy`],
//! [`Pallet::unregister_merchant`], [`Pallet::reject_order`], [`Pallet::mark_shipped`],
//! [`Pallet::accept_refund`], [`Pallet::reject_refund`], [`Pallet::confirm_return`].
//! Customers: [`Pallet::place_order`], [`Pallet::cancel_order`], [`Pallet::confirm_receipt`],
//! [`Pallet::request_refund`], [`Pallet::mark_returned`].
//! Governance: [`Pallet::set_policy_bounds`].
//! Disputes: [`entrepot_primitives::OrderDisputes`] (`parties`, `freeze`, `frozen`, `resolve`).
//! Loyalty: [`entrepot_primitives::OrderDiscounts`] (`discountable`, `discount`, `is_open`), and
//! [`entrepot_primitives::OrderHooks::on_completed`] when receipt is confirmed.
//! Queries for the runtime API ([`runtime_api::OrdersApi`]): [`Pallet::order`],
//! [`Pallet::orders_of_customer`], [`Pallet::orders_of_merchant`], [`Pallet::merchant_policy`],
//! [`Pallet::escrow_of`].

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

pub use entrepot_primitives::{
	Balance, CurrencyId, DisputeScope, OrderId, OrderOutcome, PaymentMode,
};

// FRAME's macros expand `expect`s of their own into this module (storage prefixes, error
// metadata); the module holds only the calls' thin wrappers, and the logic they call lives
// outside it, where the lint applies.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use entrepot_primitives::{Escrow, Exchange, OrderHooks};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::Zero;

	/// The in-code storage version: 1 since orders carry a payment reference, a deposit
	/// currency and a conversion ([`crate::migrations::v1`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the orders pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The native token, for the merchant and order deposits (held).
		type NativeBalance: fungible::MutateHold<
				Self::AccountId,
				Balance = Balance,
				Reason = Self::RuntimeHoldReason,
			> + fungible::Mutate<Self::AccountId>;

		/// Holds of every currency: order deposits posted in the currency a customer pays in.
		type Holds: fungibles::MutateHold<
			Self::AccountId,
			AssetId = CurrencyId,
			Balance = Balance,
			Reason = Self::RuntimeHoldReason,
		>;

		/// The payment layer: locks, refunds and releases orders' money.
		type Escrow: Escrow<Self::AccountId>;

		/// The exchange at checkout: orders paid in a currency the merchant does not accept.
		type Exchange: Exchange<Self::AccountId>;

		/// How many blocks a quote for an exchanged order may be used for.
		#[pallet::constant]
		type QuoteLifetime: Get<BlockNumberFor<Self>>;

		/// Told when an order's money moves, its receipt is confirmed or it ends.
		type Hooks: OrderHooks<Self::AccountId, BlockNumberFor<Self>>;

		/// Who may set the policy bounds (root now, governance later).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Deposit held from a merchant while registered.
		#[pallet::constant]
		type MerchantDeposit: Get<Balance>;

		/// Deposit held from the customer for every order.
		#[pallet::constant]
		type OrderDepositBase: Get<Balance>;

		/// Extra order deposit per byte stored for the order's line items and its encrypted
		/// order document.
		#[pallet::constant]
		type OrderDepositPerByte: Get<Balance>;

		/// The most currencies a policy may accept.
		#[pallet::constant]
		type MaxCurrencies: Get<u32>;

		/// The most line items of an order.
		#[pallet::constant]
		type MaxItems: Get<u32>;

		/// The longest encrypted order document, in bytes.
		#[pallet::constant]
		type MaxEncryptedLen: Get<u32>;

		/// The most weight `on_initialize` spends on due timers in one block; `on_idle` spends
		/// what the block leaves over on more. At least one timer of the heaviest kind must
		/// fit, and at most a quarter of a block.
		#[pallet::constant]
		type MaxTimerWeight: Get<Weight>;

		/// After this many failures of a timer's action (each retried after
		/// [`Config::RetryDelay`]), the order is closed: what is still locked is refunded to
		/// the customer, or, if the customer cannot receive it either, paid to the platform.
		#[pallet::constant]
		type MaxTimerFailures: Get<u32>;

		/// The most orders one inquiry returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// How long to wait before retrying a timer whose action failed (e.g. the merchant
		/// can no longer receive the currency).
		#[pallet::constant]
		type RetryDelay: Get<BlockNumberFor<Self>>;

		/// The policy bounds until governance sets others.
		#[pallet::constant]
		type DefaultPolicyBounds: Get<PolicyBoundsOf<Self>>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Creates and funds a currency for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: entrepot_primitives::CurrencyBenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A merchant's registration deposit.
		#[codec(index = 0)]
		MerchantDeposit,
		/// A customer's storage deposit for an order.
		#[codec(index = 1)]
		OrderDeposit,
	}

	/// The policy bounds until governance sets others: [`Config::DefaultPolicyBounds`].
	#[pallet::type_value]
	pub fn DefaultBounds<T: Config>() -> PolicyBoundsOf<T> {
		T::DefaultPolicyBounds::get()
	}

	/// The bounds every merchant policy must respect when it is set.
	#[pallet::storage]
	pub type PolicyBoundsInForce<T: Config> =
		StorageValue<_, PolicyBoundsOf<T>, ValueQuery, DefaultBounds<T>>;

	/// Registered merchants. Their open orders are [`OrdersOfMerchant`]'s entries under them
	/// (no counter is kept beside it: placing and archiving an order write one item less).
	#[pallet::storage]
	pub type Merchants<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, MerchantInfo<T>>;

	/// Open (not archived) orders.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, OrderId, OrderOf<T>>;

	/// The id of the next order.
	#[pallet::storage]
	pub type NextOrderId<T> = StorageValue<_, OrderId, ValueQuery>;

	/// Open orders by their merchant and payment reference: a reference is used once among a
	/// merchant's open orders.
	#[pallet::storage]
	pub type OrderByReference<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Identity, H256, OrderId>;

	/// Index of open orders by customer.
	#[pallet::storage]
	pub type OrdersOfCustomer<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, OrderId, ()>;

	/// Index of open orders by merchant.
	#[pallet::storage]
	pub type OrdersOfMerchant<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, OrderId, ()>;

	/// Timers by the block they are due in and their order: at most one per open order, the
	/// deadline of its current state (see [`entrepot_primitives::DueQueue`]).
	#[pallet::storage]
	pub type Timers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, OrderId, Timer>;

	/// The block each order's timer is due in (the index of [`Timers`] by order).
	#[pallet::storage]
	pub type TimerAt<T: Config> = StorageMap<_, Twox64Concat, OrderId, BlockNumberFor<T>>;

	/// The oldest block whose timers are not all processed yet.
	#[pallet::storage]
	pub type TimerCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Events: every state change of an order, and every movement of its money.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A merchant registered.
		MerchantRegistered {
			/// The merchant.
			merchant: T::AccountId,
			/// The deposit held.
			deposit: Balance,
		},
		/// A merchant changed its policy (for orders placed from now on).
		PolicyUpdated {
			/// The merchant.
			merchant: T::AccountId,
		},
		/// A merchant unregistered; its deposit was returned.
		MerchantUnregistered {
			/// The merchant.
			merchant: T::AccountId,
			/// The deposit returned.
			deposit: Balance,
		},
		/// Governance set new policy bounds.
		PolicyBoundsSet {
			/// The bounds.
			bounds: PolicyBoundsOf<T>,
		},
		/// An order was placed and paid.
		OrderPlaced {
			/// The order.
			order_id: OrderId,
			/// The customer.
			customer: T::AccountId,
			/// The merchant.
			merchant: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// Items plus freight.
			total: Balance,
			/// Escrow or direct.
			mode: PaymentMode,
			/// The customer's storage deposit.
			deposit: Balance,
			/// The currency the deposit is held in.
			deposit_currency: CurrencyId,
			/// The merchant-side payment reference.
			reference: H256,
			/// Set when the customer paid in another currency, exchanged at checkout.
			exchange: Option<Conversion>,
		},
		/// The customer cancelled the order before shipping.
		OrderCancelled {
			/// The order.
			order_id: OrderId,
		},
		/// The merchant rejected the order before shipping.
		OrderRejected {
			/// The order.
			order_id: OrderId,
		},
		/// The order was not shipped in time.
		OrderExpired {
			/// The order.
			order_id: OrderId,
		},
		/// The merchant shipped the order.
		OrderShipped {
			/// The order.
			order_id: OrderId,
			/// The shipment's tracking reference.
			tracking: H256,
			/// When receipt is confirmed automatically.
			confirm_by: BlockNumberFor<T>,
		},
		/// Receipt was confirmed.
		ReceiptConfirmed {
			/// The order.
			order_id: OrderId,
			/// Whether by the clock rather than by the customer.
			auto: bool,
		},
		/// The merchant was paid the order's money minus the holdback (and the fee).
		MerchantPaid {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// The merchant.
			merchant: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// The amount released from escrow.
			gross: Balance,
			/// The platform fee taken out of `gross`.
			fee: Balance,
			/// What the merchant received.
			net: Balance,
			/// What stays locked until the after-sales window closes.
			holdback: Balance,
			/// When the after-sales window closes.
			after_sales_until: BlockNumberFor<T>,
		},
		/// The holdback was paid to the merchant at the end of the after-sales window.
		HoldbackReleased {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// The merchant.
			merchant: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// The amount released from escrow.
			gross: Balance,
			/// The platform fee taken out of `gross`.
			fee: Balance,
			/// What the merchant received.
			net: Balance,
		},
		/// The customer asked for a refund.
		RefundRequested {
			/// The order.
			order_id: OrderId,
			/// The amount asked back.
			amount: Balance,
			/// Whether goods are returned first.
			return_goods: bool,
			/// Why.
			reason: RefundReason,
			/// The merchant's deadline to answer.
			respond_by: BlockNumberFor<T>,
		},
		/// The refund request was accepted.
		RefundAccepted {
			/// The order.
			order_id: OrderId,
			/// Whether by the merchant's silence.
			auto: bool,
		},
		/// The merchant rejected the refund request.
		RefundRejected {
			/// The order.
			order_id: OrderId,
		},
		/// The customer did not return the goods in time; the request lapsed.
		RefundLapsed {
			/// The order.
			order_id: OrderId,
		},
		/// The customer sent the goods back.
		ReturnMarked {
			/// The order.
			order_id: OrderId,
			/// The return shipment's tracking reference.
			tracking: H256,
			/// When the return is confirmed automatically.
			confirm_by: BlockNumberFor<T>,
		},
		/// The return's arrival was confirmed.
		ReturnConfirmed {
			/// The order.
			order_id: OrderId,
			/// Whether by the merchant's silence.
			auto: bool,
		},
		/// Money of the order was returned to the customer.
		RefundPaid {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// The customer.
			customer: T::AccountId,
			/// The order's currency.
			currency: CurrencyId,
			/// The amount returned, in the order's currency.
			amount: Balance,
			/// For an exchanged order: the currency the customer paid in and what it received
			/// in it, at the rate it paid. `None` if it received `amount` of the order's
			/// currency.
			converted: Option<(CurrencyId, Balance)>,
		},
		/// A refund of an exchanged order could not be converted back (the pools or the
		/// platform account could not pay it): the customer received it in the order's
		/// currency, at the merchant's price.
		RefundNotConverted {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Why the conversion failed.
			error: DispatchError,
		},
		/// The order reached its final state and was removed; the deposit was returned.
		OrderArchived {
			/// The order.
			order_id: OrderId,
			/// How it ended.
			outcome: OrderOutcome,
			/// The deposit returned to the customer.
			deposit: Balance,
		},
		/// A dispute froze the order.
		OrderFrozen {
			/// The order.
			order_id: OrderId,
			/// Which money the dispute is about.
			scope: DisputeScope,
			/// What is frozen.
			amount: Balance,
		},
		/// A dispute about the order ended: the frozen money was paid out, `refund` to the
		/// customer and `gross` (of which `fee` to the platform, `net` to the merchant) to the
		/// merchant's side. The order is archived next.
		DisputeSettled {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Returned to the customer.
			refund: Balance,
			/// Released towards the merchant.
			gross: Balance,
			/// The platform fee taken out of `gross`.
			fee: Balance,
			/// What the merchant received.
			net: Balance,
		},
		/// Part of the order's escrow was returned to the customer as a loyalty discount (the
		/// customer's loyalty tokens were burnt for it).
		LoyaltyDiscountPaid {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// The discount, in the order's currency.
			amount: Balance,
			/// The order's loyalty discounts so far, this one included.
			discounted: Balance,
		},
		/// A timer's action failed; it is retried at `retry_at`.
		TimerFailed {
			/// The order.
			order_id: OrderId,
			/// The timer.
			kind: TimerKind,
			/// Why it failed.
			error: DispatchError,
			/// How many times it failed so far.
			failures: u32,
			/// When it is retried.
			retry_at: BlockNumberFor<T>,
		},
		/// A timer's action failed [`Config::MaxTimerFailures`] times: the order was closed
		/// with its deadline's outcome, each part paid on its own, dust its recipient could
		/// not receive paid to the platform's fee account.
		OrderClosedAfterFailures {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// The timer that kept failing.
			kind: TimerKind,
			/// Returned to the customer.
			refunded: Balance,
			/// Released towards the merchant (before the platform fee).
			paid: Balance,
			/// Dust paid to the platform's fee account.
			forfeited: Balance,
		},
		/// A dispute ended without a decision: the order is back in the state it was frozen
		/// in, with a fresh deadline.
		OrderUnfrozen {
			/// The order.
			order_id: OrderId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered merchant.
		AlreadyRegistered,
		/// The account is not a registered merchant.
		NotRegistered,
		/// The merchant still has open orders.
		HasOpenOrders,
		/// A window or the holdback is outside the policy bounds.
		PolicyOutOfBounds,
		/// The policy accepts no currency.
		NoCurrencies,
		/// The policy lists a currency twice.
		DuplicateCurrency,
		/// The bounds are inconsistent (a minimum of zero, or above its maximum).
		InvalidBounds,
		/// The deposit cannot be held.
		InsufficientDeposit,
		/// A customer cannot order from itself.
		CustomerIsMerchant,
		/// The merchant does not accept this currency.
		CurrencyNotAccepted,
		/// The order has no line items.
		NoItems,
		/// A line item has a quantity of zero.
		ZeroQuantity,
		/// The order's total is zero.
		ZeroTotal,
		/// An amount or counter overflowed.
		Overflow,
		/// No such (open) order.
		OrderNotFound,
		/// The caller is not the order's customer.
		NotCustomer,
		/// The caller is not the order's merchant.
		NotMerchant,
		/// A direct payment is final: no cancel, reject or refund on chain.
		DirectPaymentFinal,
		/// The order was already shipped.
		AlreadyShipped,
		/// The order is not shipped yet.
		NotShippedYet,
		/// The deadline to ship has passed.
		ShipWindowClosed,
		/// A refund request is being handled.
		RefundPending,
		/// Receipt was already confirmed and the merchant paid.
		AlreadySettled,
		/// The amount is zero.
		ZeroAmount,
		/// The amount exceeds what is still locked for the order.
		RefundExceedsLocked,
		/// A refund was already requested in this phase; the next step is a dispute.
		RefundAlreadyRequested,
		/// The after-sales window is closed.
		RefundWindowClosed,
		/// There is no refund request waiting for an answer.
		NoRefundRequested,
		/// The merchant's deadline to answer has passed (silence is acceptance).
		ResponseWindowClosed,
		/// The order is not waiting for the goods to be returned.
		NotAwaitingReturn,
		/// The deadline to return the goods has passed.
		ReturnWindowClosed,
		/// The goods were not marked returned.
		NotReturned,
		/// The order has no deadline that has passed.
		NothingDue,
		/// The merchant may only dispute an order while a refund step is pending; a shipped
		/// order settles by the customer's auto-confirm clock.
		MerchantCannotDispute,
		/// The order is frozen by a dispute; the dispute decides what happens to it.
		OrderDisputed,
		/// Nothing is locked for the order any more: there is no money to dispute.
		NothingToDispute,
		/// The order is not frozen by a dispute.
		OrderNotDisputed,
		/// The order cannot be discounted any more: it is shipped and settled, in a refund
		/// step, or paid directly.
		NotDiscountable,
		/// The merchant's policy does not accept loyalty tokens for this order.
		LoyaltyNotAccepted,
		/// The discount would exceed the share of the order the merchant accepts in loyalty
		/// tokens.
		DiscountExceedsShare,
		/// The merchant already has an open order with this payment reference (a resubmitted
		/// checkout): nothing was paid again.
		DuplicateReference,
		/// The quote expired (its expiry block has passed), or expires further ahead than
		/// [`Config::QuoteLifetime`].
		QuoteExpired,
		/// No pool route between the currency paid and the order's, or the pools are too
		/// shallow for the order.
		NoExchangeRoute,
		/// The order now costs more than the maximum the customer signed for.
		PriceAboveMaximum,
		/// The currency paid is the order's own: use [`Pallet::place_order`].
		SameCurrency,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Processes due timers within [`Config::MaxTimerWeight`]; what does not fit is
		/// processed by `on_idle` or in the next block. Returns the weight used.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_timers(now, T::MaxTimerWeight::get())
		}

		/// Processes more due timers with what the block left over.
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::process_timers(now, remaining)
		}

		fn integrity_test() {
			assert!(T::MaxTimerFailures::get() > 0, "MaxTimerFailures must be positive");
			assert!(T::MaxItems::get() > 0, "MaxItems must be positive");
			assert!(T::MaxCurrencies::get() > 0, "MaxCurrencies must be positive");
			assert!(T::MaxPageSize::get() > 0, "MaxPageSize must be positive");
			assert!(!T::RetryDelay::get().is_zero(), "RetryDelay must be positive");
			assert!(
				Self::bounds_valid(&T::DefaultPolicyBounds::get()),
				"DefaultPolicyBounds are inconsistent"
			);
			crate::impls::TimerQueue::<T>::integrity_test(
				"MaxTimerWeight",
				T::MaxTimerWeight::get(),
				Self::heaviest_timer(),
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
		/// Registers the caller as a merchant with `policy`.
		///
		/// Any signed account that is not yet a merchant. Holds
		/// [`Config::MerchantDeposit`] (native token) under [`HoldReason::MerchantDeposit`].
		///
		/// Emits [`Event::MerchantRegistered`]. Fails with [`Error::AlreadyRegistered`],
		/// [`Error::NoCurrencies`], [`Error::DuplicateCurrency`],
		/// [`Error::PolicyOutOfBounds`] or [`Error::InsufficientDeposit`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_merchant())]
		pub fn register_merchant(origin: OriginFor<T>, policy: PolicyOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_merchant(who, policy)
		}

		/// Replaces the caller's policy; orders placed earlier keep theirs.
		///
		/// A registered merchant. Emits [`Event::PolicyUpdated`]. Fails with
		/// [`Error::NotRegistered`], [`Error::NoCurrencies`], [`Error::DuplicateCurrency`] or
		/// [`Error::PolicyOutOfBounds`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_policy())]
		pub fn update_policy(origin: OriginFor<T>, policy: PolicyOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_policy(who, policy)
		}

		/// Unregisters the caller and returns its deposit.
		///
		/// A registered merchant with no open orders. Emits [`Event::MerchantUnregistered`].
		/// Fails with [`Error::NotRegistered`] or [`Error::HasOpenOrders`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unregister_merchant())]
		pub fn unregister_merchant(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unregister_merchant(who)
		}

		/// Sets the bounds merchant policies must respect from now on (existing policies are
		/// not changed).
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::PolicyBoundsSet`]. Fails with
		/// [`Error::InvalidBounds`] if a minimum is zero or above its maximum.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_policy_bounds())]
		pub fn set_policy_bounds(
			origin: OriginFor<T>,
			bounds: PolicyBoundsOf<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_policy_bounds(bounds)
		}

		/// Places an order with `merchant` and pays it.
		///
		/// Any signed account but the merchant. The total is the sum of `quantity *
		/// unit_price` over `items`, plus `freight`. With [`PaymentMode::Escrow`] the total is
		/// locked in escrow; with [`PaymentMode::Direct`] it is paid to the merchant at once
		/// (minus the platform fee). Holds the order deposit ([`Config::OrderDepositBase`] +
		/// [`Config::OrderDepositPerByte`] per byte of `encrypted_details`), returned when the
		/// order is archived.
		///
		/// Emits [`Event::OrderPlaced`] (and the escrow's `Locked` or `DirectPaid`). Fails with
		/// [`Error::NotRegistered`], [`Error::CustomerIsMerchant`],
		/// [`Error::CurrencyNotAccepted`], [`Error::NoItems`], [`Error::ZeroQuantity`],
		/// [`Error::ZeroTotal`], [`Error::Overflow`], [`Error::InsufficientDeposit`], or the
		/// escrow's errors (e.g. below the currency's minimum, insufficient balance).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::place_order(
			items.len() as u32,
			encrypted_details.as_ref().map_or(0, |d| d.len() as u32),
		))]
		pub fn place_order(
			origin: OriginFor<T>,
			merchant: T::AccountId,
			currency: CurrencyId,
			items: BoundedVec<LineItem, T::MaxItems>,
			freight: Balance,
			details_hash: H256,
			encrypted_details: Option<BoundedVec<u8, T::MaxEncryptedLen>>,
			mode: PaymentMode,
			reference: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_place_order(
				who,
				Checkout {
					merchant,
					currency,
					items,
					freight,
					details_hash,
					encrypted_details,
					mode,
					reference,
				},
				None,
			)
		}

		/// Places an escrow order with `merchant` and pays it in `pay_currency`, a currency the
		/// merchant need not accept: at checkout the pools exchange it for exactly the order's
		/// total in `currency`, which escrow holds as for any order.
		///
		/// The customer signs the quote it saw (`OrdersApi::quote`): `max_pay`, the most it
		/// pays in `pay_currency`, and `quote_expires`, the last block the quote holds. Fails,
		/// with nothing moved, if the quote expired (or expires further ahead than
		/// [`Config::QuoteLifetime`]) or the price rose above `max_pay`. The order records the
		/// currency, the amount paid and the rate; every refund of it is paid back in
		/// `pay_currency` at that rate, the platform bearing the difference (see
		/// [`entrepot_primitives::Exchange::convert_refund`]). The deposit is held as in
		/// [`Pallet::place_order`], in `pay_currency` if the customer has no native token to
		/// spare.
		///
		/// Emits [`Event::OrderPlaced`] with the conversion. Fails with the errors of
		/// [`Pallet::place_order`], [`Error::SameCurrency`], [`Error::QuoteExpired`],
		/// [`Error::NoExchangeRoute`] or [`Error::PriceAboveMaximum`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::place_order_exchanged(
			items.len() as u32,
			encrypted_details.as_ref().map_or(0, |d| d.len() as u32),
		))]
		pub fn place_order_exchanged(
			origin: OriginFor<T>,
			merchant: T::AccountId,
			currency: CurrencyId,
			items: BoundedVec<LineItem, T::MaxItems>,
			freight: Balance,
			details_hash: H256,
			encrypted_details: Option<BoundedVec<u8, T::MaxEncryptedLen>>,
			reference: H256,
			pay_currency: CurrencyId,
			max_pay: Balance,
			quote_expires: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_place_order(
				who,
				Checkout {
					merchant,
					currency,
					items,
					freight,
					details_hash,
					encrypted_details,
					mode: PaymentMode::Escrow,
					reference,
				},
				Some(PayWith { currency: pay_currency, max_pay, quote_expires }),
			)
		}

		/// Cancels an escrow order before it is shipped: full refund, order archived.
		///
		/// The order's customer. Emits [`Event::OrderCancelled`], [`Event::RefundPaid`],
		/// [`Event::OrderArchived`]. Fails with [`Error::OrderNotFound`],
		/// [`Error::NotCustomer`], [`Error::DirectPaymentFinal`] or [`Error::AlreadyShipped`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::cancel_order())]
		pub fn cancel_order(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_order(who, order_id)
		}

		/// Rejects an escrow order before it is shipped: full refund, order archived.
		///
		/// The order's merchant. Emits [`Event::OrderRejected`], [`Event::RefundPaid`],
		/// [`Event::OrderArchived`]. Fails with [`Error::OrderNotFound`],
		/// [`Error::NotMerchant`], [`Error::DirectPaymentFinal`] or [`Error::AlreadyShipped`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reject_order())]
		pub fn reject_order(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reject_order(who, order_id)
		}

		/// Marks the order shipped with a tracking reference; starts the auto-confirm clock.
		///
		/// The order's merchant, before the shipping deadline. Emits [`Event::OrderShipped`].
		/// Fails with [`Error::OrderNotFound`], [`Error::NotMerchant`],
		/// [`Error::AlreadyShipped`] or [`Error::ShipWindowClosed`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::mark_shipped())]
		pub fn mark_shipped(
			origin: OriginFor<T>,
			order_id: OrderId,
			tracking: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_mark_shipped(who, order_id, tracking)
		}

		/// Confirms receipt: the merchant is paid the locked amount minus the holdback and the
		/// platform fee (escrow), or the order is archived (direct).
		///
		/// The order's customer, once shipped. Emits [`Event::ReceiptConfirmed`],
		/// [`Event::MerchantPaid`] (escrow) or [`Event::OrderArchived`] (direct). Fails with
		/// [`Error::OrderNotFound`], [`Error::NotCustomer`], [`Error::NotShippedYet`],
		/// [`Error::RefundPending`] or [`Error::AlreadySettled`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::confirm_receipt())]
		pub fn confirm_receipt(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_receipt(who, order_id)
		}

		/// Asks for `amount` back, with or without returning the goods.
		///
		/// The order's customer, once per phase: after shipping and before settlement (against
		/// the escrow), or within the after-sales window (against the holdback). The merchant
		/// must answer within its refund response window. Emits [`Event::RefundRequested`].
		/// Fails with [`Error::OrderNotFound`], [`Error::NotCustomer`],
		/// [`Error::DirectPaymentFinal`], [`Error::ZeroAmount`], [`Error::NotShippedYet`],
		/// [`Error::RefundPending`], [`Error::RefundAlreadyRequested`],
		/// [`Error::RefundWindowClosed`] or [`Error::RefundExceedsLocked`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::request_refund())]
		pub fn request_refund(
			origin: OriginFor<T>,
			order_id: OrderId,
			amount: Balance,
			return_goods: bool,
			reason: RefundReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_refund(who, order_id, amount, return_goods, reason)
		}

		/// Accepts the pending refund request. Without return, the refund is paid at once and
		/// the rest settles; with return, the customer has the return window to send the goods.
		///
		/// The order's merchant. Emits [`Event::RefundAccepted`] and the events of what
		/// follows. Fails with [`Error::OrderNotFound`], [`Error::NotMerchant`] or
		/// [`Error::NoRefundRequested`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::accept_refund())]
		pub fn accept_refund(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_refund(who, order_id)
		}

		/// Rejects the pending refund request. Before settlement the order goes back to
		/// shipped with a fresh auto-confirm clock (time to open a dispute); after it, back to
		/// settled.
		///
		/// The order's merchant, before its response deadline. Emits
		/// [`Event::RefundRejected`]. Fails with [`Error::OrderNotFound`],
		/// [`Error::NotMerchant`], [`Error::NoRefundRequested`] or
		/// [`Error::ResponseWindowClosed`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::reject_refund())]
		pub fn reject_refund(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reject_refund(who, order_id)
		}

		/// Marks the goods sent back, with the return shipment's tracking reference.
		///
		/// The order's customer, within the return window. Emits [`Event::ReturnMarked`].
		/// Fails with [`Error::OrderNotFound`], [`Error::NotCustomer`],
		/// [`Error::NotAwaitingReturn`] or [`Error::ReturnWindowClosed`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::mark_returned())]
		pub fn mark_returned(
			origin: OriginFor<T>,
			order_id: OrderId,
			tracking: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_mark_returned(who, order_id, tracking)
		}

		/// Fires the order's deadline now, if it has passed: exactly what the chain does by
		/// itself at that deadline (e.g. an unshipped order is refunded, an unconfirmed one
		/// settles). The parties have the incentive: whoever the default outcome pays need
		/// not wait for the block's timer budget.
		///
		/// Any signed account. Emits the events of the deadline's action. Fails with
		/// [`Error::OrderNotFound`], [`Error::NothingDue`], or the action's error (nothing
		/// changes; the chain retries it).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::poke().max(Pallet::<T>::heaviest_timer()))]
		pub fn poke(origin: OriginFor<T>, order_id: OrderId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_poke(order_id)
		}

		/// Confirms the returned goods arrived: the refund is paid and the rest settles.
		///
		/// The order's merchant. Emits [`Event::ReturnConfirmed`], [`Event::RefundPaid`] and
		/// the events of what follows. Fails with [`Error::OrderNotFound`],
		/// [`Error::NotMerchant`] or [`Error::NotReturned`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::confirm_return())]
		pub fn confirm_return(origin: OriginFor<T>, order_id: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_return(who, order_id)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `who` can put `amount` of `currency` aside as a deposit out of funds no
		/// freeze covers, keeping its account alive.
		pub(crate) fn can_hold_deposit(
			who: &T::AccountId,
			currency: &CurrencyId,
			amount: Balance,
		) -> bool {
			use frame_support::traits::{
				fungibles::Inspect,
				tokens::{Fortitude, Preservation},
			};
			amount == 0
				|| T::Holds::reducible_balance(
					currency.clone(),
					who,
					Preservation::Preserve,
					Fortitude::Polite,
				) >= amount
		}

		pub(crate) fn hold_deposit(
			reason: HoldReason,
			who: &T::AccountId,
			currency: &CurrencyId,
			amount: Balance,
		) -> DispatchResult {
			use frame_support::traits::fungibles::MutateHold as _;
			if amount > 0 {
				ensure!(
					Self::can_hold_deposit(who, currency, amount),
					Error::<T>::InsufficientDeposit
				);
				T::Holds::hold(currency.clone(), &reason.into(), who, amount)
					.map_err(|_| Error::<T>::InsufficientDeposit)?;
			}
			Ok(())
		}
	}
}
