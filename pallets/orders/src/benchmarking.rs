//! Benchmarks of the orders pallet: one per call and one per timer branch. `place_order` is
//! measured over its two inputs (line items, encrypted document length) and charged for what
//! it carries; the calls on an existing order in their worst case (the most line items and the
//! longest document stored, the most currencies, the heaviest outcome: refund and settlement
//! through the real escrow). Payments use the currency [`Config::BenchmarkHelper`] provides.

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use crate::Pallet as Orders;
use entrepot_primitives::CurrencyBenchmarkHelper;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::Permill;

const SEED: u32 = 0;
/// Price of one unit: large enough to be above any stablecoin's minimum balance.
const UNIT_PRICE: Balance = 1_000_000_000;
const FUNDS: Balance = 1_000_000_000_000_000_000_000;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, SEED);
	T::BenchmarkHelper::fund(&who, T::BenchmarkHelper::currency(), FUNDS);
	who
}

/// The worst-case policy: every currency slot used, the shortest windows allowed.
fn policy<T: Config>() -> PolicyOf<T> {
	let bounds = PolicyBoundsInForce::<T>::get();
	let mut currencies = alloc::vec![T::BenchmarkHelper::currency()];
	for i in 1..T::MaxCurrencies::get() {
		currencies.push(CurrencyId::WithId(u32::MAX.saturating_sub(i)));
	}
	MerchantPolicy {
		currencies: BoundedVec::truncate_from(currencies),
		ship_within: bounds.ship_within.min,
		auto_confirm_after: bounds.auto_confirm_after.min,
		refund_response_within: bounds.refund_response_within.min,
		return_window: bounds.return_window.min,
		after_sales_window: bounds.after_sales_window.min,
		holdback: Permill::from_percent(10).min(bounds.max_holdback),
		loyalty_share: Permill::zero(),
	}
}

fn merchant<T: Config>() -> T::AccountId {
	let merchant = funded::<T>("merchant");
	T::BenchmarkHelper::fund(&merchant, T::BenchmarkHelper::currency(), FUNDS);
	Orders::<T>::do_register_merchant(merchant.clone(), policy::<T>()).expect("registers");
	merchant
}

type ItemsOf<T> = BoundedVec<LineItem, <T as Config>::MaxItems>;
type BlobOf<T> = BoundedVec<u8, <T as Config>::MaxEncryptedLen>;

fn items<T: Config>(n: u32) -> ItemsOf<T> {
	let items = (0..n)
		.map(|i| LineItem {
			product: H256::repeat_byte(i as u8),
			quantity: 1,
			unit_price: UNIT_PRICE,
		})
		.collect::<alloc::vec::Vec<_>>();
	BoundedVec::truncate_from(items)
}

fn max_items<T: Config>() -> ItemsOf<T> {
	items::<T>(T::MaxItems::get())
}

fn blob<T: Config>(len: u32) -> BlobOf<T> {
	BoundedVec::truncate_from(alloc::vec![0xEE; len as usize])
}

fn max_blob<T: Config>() -> BlobOf<T> {
	blob::<T>(T::MaxEncryptedLen::get())
}

/// A customer, a merchant and a worst-case escrow order between them.
fn placed<T: Config>() -> (T::AccountId, T::AccountId, OrderId) {
	let merchant = merchant::<T>();
	let customer = funded::<T>("customer");
	let order_id = NextOrderId::<T>::get();
	Orders::<T>::do_place_order(
		customer.clone(),
		Checkout {
			merchant: merchant.clone(),
			currency: T::BenchmarkHelper::currency(),
			items: max_items::<T>(),
			freight: UNIT_PRICE,
			details_hash: H256::repeat_byte(1),
			encrypted_details: Some(max_blob::<T>()),
			mode: PaymentMode::Escrow,
			reference: H256::repeat_byte(9),
		},
		None,
	)
	.expect("places");
	(customer, merchant, order_id)
}

fn shipped<T: Config>() -> (T::AccountId, T::AccountId, OrderId) {
	let (customer, merchant, order_id) = placed::<T>();
	Orders::<T>::do_mark_shipped(merchant.clone(), order_id, H256::repeat_byte(2)).expect("ships");
	(customer, merchant, order_id)
}

fn settled<T: Config>() -> (T::AccountId, T::AccountId, OrderId) {
	let (customer, merchant, order_id) = shipped::<T>();
	Orders::<T>::do_confirm_receipt(customer.clone(), order_id).expect("confirms");
	(customer, merchant, order_id)
}

fn refund_requested<T: Config>(return_goods: bool) -> (T::AccountId, T::AccountId, OrderId) {
	let (customer, merchant, order_id) = shipped::<T>();
	Orders::<T>::do_request_refund(
		customer.clone(),
		order_id,
		UNIT_PRICE,
		return_goods,
		RefundReason::Damaged,
	)
	.expect("requests");
	(customer, merchant, order_id)
}

fn awaiting_return<T: Config>() -> (T::AccountId, T::AccountId, OrderId) {
	let (customer, merchant, order_id) = refund_requested::<T>(true);
	Orders::<T>::do_accept_refund(merchant.clone(), order_id).expect("accepts");
	(customer, merchant, order_id)
}

fn returned<T: Config>() -> (T::AccountId, T::AccountId, OrderId) {
	let (customer, merchant, order_id) = awaiting_return::<T>();
	Orders::<T>::do_mark_returned(customer.clone(), order_id, H256::repeat_byte(3))
		.expect("returns");
	(customer, merchant, order_id)
}

/// Moves to the block where the order's current deadline falls.
fn go_to_deadline<T: Config>(order_id: OrderId) -> BlockNumberFor<T> {
	let order = Orders::<T>::order(order_id).expect("open");
	let at = match order.status {
		OrderStatus::Placed { ship_by } | OrderStatus::DirectPaid { ship_by } => ship_by,
		OrderStatus::Shipped { confirm_by }
		| OrderStatus::DirectShipped { confirm_by }
		| OrderStatus::Returned { confirm_by, .. } => confirm_by,
		OrderStatus::RefundRequested { respond_by, .. } => respond_by,
		OrderStatus::AwaitingReturn { return_by, .. } => return_by,
		OrderStatus::Settled => order.after_sales_until.expect("settled"),
		OrderStatus::Disputed { .. } => frame_system::Pallet::<T>::block_number(),
	};
	frame_system::Pallet::<T>::set_block_number(at);
	at
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_merchant() {
		let merchant = funded::<T>("merchant");
		let policy = policy::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant.clone()), policy);

		assert!(Merchants::<T>::contains_key(&merchant));
	}

	#[benchmark]
	fn update_policy() {
		let merchant = merchant::<T>();
		let policy = policy::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), policy);
	}

	#[benchmark]
	fn unregister_merchant() {
		let merchant = merchant::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant.clone()));

		assert!(!Merchants::<T>::contains_key(&merchant));
	}

	#[benchmark]
	fn set_policy_bounds() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let bounds = T::DefaultPolicyBounds::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, bounds);

		Ok(())
	}

	/// `i` line items and, if `b > 0`, an encrypted document of `b` bytes.
	#[benchmark]
	fn place_order(
		i: Linear<1, { T::MaxItems::get() }>,
		b: Linear<0, { T::MaxEncryptedLen::get() }>,
	) {
		let merchant = merchant::<T>();
		let customer = funded::<T>("customer");
		let currency = T::BenchmarkHelper::currency();
		let document = (b > 0).then(|| blob::<T>(b));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(customer),
			merchant,
			currency,
			items::<T>(i),
			UNIT_PRICE,
			H256::repeat_byte(1),
			document,
			PaymentMode::Escrow,
			H256::repeat_byte(9),
		);

		assert!(Orders::<T>::order(0).is_some());
	}

	/// `i` line items and, if `b > 0`, an encrypted document of `b` bytes, paid in the
	/// helper's second currency through the exchange.
	#[benchmark]
	fn place_order_exchanged(
		i: Linear<1, { T::MaxItems::get() }>,
		b: Linear<0, { T::MaxEncryptedLen::get() }>,
	) {
		let merchant = merchant::<T>();
		let customer = funded::<T>("customer");
		let pay_currency = T::BenchmarkHelper::pay_currency();
		T::BenchmarkHelper::fund(&customer, pay_currency.clone(), FUNDS);
		let document = (b > 0).then(|| blob::<T>(b));
		// The quote holds one block more than now: the benchmark may run in the next block.
		let expires = frame_system::Pallet::<T>::block_number() + 1u32.into();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(customer),
			merchant,
			T::BenchmarkHelper::currency(),
			items::<T>(i),
			UNIT_PRICE,
			H256::repeat_byte(1),
			document,
			H256::repeat_byte(9),
			pay_currency,
			FUNDS,
			expires,
		);

		assert!(Orders::<T>::order(0).is_some_and(|o| o.exchange.is_some()));
	}

	#[benchmark]
	fn cancel_order() {
		let (customer, _, order_id) = placed::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), order_id);

		assert!(Orders::<T>::order(order_id).is_none());
	}

	#[benchmark]
	fn reject_order() {
		let (_, merchant, order_id) = placed::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), order_id);

		assert!(Orders::<T>::order(order_id).is_none());
	}

	#[benchmark]
	fn mark_shipped() {
		let (_, merchant, order_id) = placed::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), order_id, H256::repeat_byte(2));
	}

	#[benchmark]
	fn confirm_receipt() {
		let (customer, _, order_id) = shipped::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), order_id);

		assert!(Orders::<T>::order(order_id).expect("open").after_sales_until.is_some());
	}

	#[benchmark]
	fn request_refund() {
		let (customer, _, order_id) = shipped::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), order_id, UNIT_PRICE, true, RefundReason::Damaged);
	}

	#[benchmark]
	fn accept_refund() {
		// Without return: the refund is paid and the rest settles at once.
		let (_, merchant, order_id) = refund_requested::<T>(false);

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), order_id);

		assert_eq!(Orders::<T>::order(order_id).expect("open").refunded, UNIT_PRICE);
	}

	#[benchmark]
	fn reject_refund() {
		let (_, merchant, order_id) = refund_requested::<T>(false);

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), order_id);
	}

	#[benchmark]
	fn mark_returned() {
		let (customer, _, order_id) = awaiting_return::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), order_id, H256::repeat_byte(3));
	}

	#[benchmark]
	fn confirm_return() {
		let (_, merchant, order_id) = returned::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(merchant), order_id);

		assert_eq!(Orders::<T>::order(order_id).expect("open").refunded, UNIT_PRICE);
	}

	#[benchmark]
	fn poke() {
		// The heaviest deadline in general: auto-confirmation settles through escrow (fee,
		// holdback) and tells the listeners.
		let (caller, _, order_id) = shipped::<T>();
		go_to_deadline::<T>(order_id);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), order_id);

		assert_eq!(Orders::<T>::order(order_id).expect("open").status, OrderStatus::Settled);
	}

	#[benchmark]
	fn timer_stale() {
		// The order is gone (it cannot happen: archiving removes the timer); the timer is
		// read and ignored.
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Orders::<T>::process_timer(OrderId::MAX, Timer::new(TimerKind::AutoConfirm), now);
		}
	}

	#[benchmark]
	fn timer_closed_after_failures() {
		// Closing an order whose timer kept failing: everything locked is refunded and the
		// order archived.
		let (_, _, order_id) = shipped::<T>();

		#[block]
		{
			Orders::<T>::close_after_failures(order_id, TimerKind::AutoConfirm).expect("closes");
		}

		assert!(Orders::<T>::order(order_id).is_none());
	}

	#[benchmark]
	fn timer_ship_by() {
		let (_, _, order_id) = placed::<T>();
		let now = go_to_deadline::<T>(order_id);

		#[block]
		{
			Orders::<T>::process_timer(order_id, Timer::new(TimerKind::ShipBy), now);
		}

		assert!(Orders::<T>::order(order_id).is_none());
	}

	#[benchmark]
	fn timer_auto_confirm() {
		let (_, _, order_id) = shipped::<T>();
		let now = go_to_deadline::<T>(order_id);

		#[block]
		{
			Orders::<T>::process_timer(order_id, Timer::new(TimerKind::AutoConfirm), now);
		}

		assert_eq!(Orders::<T>::order(order_id).expect("open").status, OrderStatus::Settled);
	}

	#[benchmark]
	fn timer_refund_response() {
		let (_, _, order_id) = refund_requested::<T>(false);
		let now = go_to_deadline::<T>(order_id);

		#[block]
		{
			Orders::<T>::process_timer(order_id, Timer::new(TimerKind::RefundResponse), now);
		}

		assert_eq!(Orders::<T>::order(order_id).expect("open").refunded, UNIT_PRICE);
	}

	#[benchmark]
	fn timer_return_by() {
		let (_, _, order_id) = awaiting_return::<T>();
		let now = go_to_deadline::<T>(order_id);

		#[block]
		{
			Orders::<T>::process_timer(order_id, Timer::new(TimerKind::ReturnBy), now);
		}

		assert_eq!(Orders::<T>::order(order_id).expect("open").status, OrderStatus::Settled);
	}

	#[benchmark]
	fn timer_return_confirm() {
		let (_, _, order_id) = returned::<T>();
		let now = go_to_deadline::<T>(order_id);

		#[block]
		{
			Orders::<T>::process_timer(order_id, Timer::new(TimerKind::ReturnConfirm), now);
		}

		assert_eq!(Orders::<T>::order(order_id).expect("open").refunded, UNIT_PRICE);
	}

	#[benchmark]
	fn timer_after_sales_end() {
		let (_, _, order_id) = settled::<T>();
		let now = go_to_deadline::<T>(order_id);

		#[block]
		{
			Orders::<T>::process_timer(order_id, Timer::new(TimerKind::AfterSalesEnd), now);
		}

		assert!(Orders::<T>::order(order_id).is_none());
	}

	impl_benchmark_test_suite!(Orders, crate::mock::new_test_ext(), crate::mock::Test);
}
