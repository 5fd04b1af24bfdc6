//! Governance: who may make each privileged call.
//!
//! Entrepot has no single key above the chain outside the `development` preset. Privileged calls
//! take one of the origins below, each an "or" of:
//!
//! - **Root**: a referendum passed on the `root` track ([`tracks`]); on the `development` chain
//!   also the sudo key;
//! - **the council**: a motion of `pallet-collective` (`Council`, instance 1), whose members are
//!   kept by `pallet-membership` (`CouncilMembership`), passed with the stated share of the
//!   council's members;
//! - **the `platform` track**: a referendum passed on the `platform` track dispatches from
//!   [`origins::Origin::PlatformAdmin`];
//! - **the `cancel` track**: a referendum passed on the `cancel` track dispatches from
//!   [`origins::Origin::ReferendumCanceller`], the only way besides Root to cancel a
//!   referendum (the council cannot).
//!
//! The table of every privileged call and its origin is in `docs/governance.md`.

pub mod origins;
pub mod tracks;

use frame_support::{
	parameter_types,
	traits::{EitherOf, EitherOfDiverse},
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureWithSuccess};

use crate::{AccountId, Balance, UNITS};

/// The council: instance 1 of `pallet-collective` (`Council` in the runtime).
pub type CouncilCollective = pallet_collective::Instance1;

/// The council's membership: instance 1 of `pallet-membership` (`CouncilMembership`).
pub type CouncilMembershipInstance = pallet_membership::Instance1;

/// A council motion passed by at least two thirds of the council.
pub type CouncilTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;

/// A council motion passed by at least three fifths of the council.
pub type CouncilThreeFifths =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 3, 5>;

/// A council motion passed by more than half of the council.
pub type CouncilMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>;

/// Platform administration: the platform fee and policy bounds, dispute windows, deposits and
/// arbiters, loyalty rates and limits, adding and removing validators, forced asset operations.
///
/// Root, a council motion of at least two thirds, or a referendum on the `platform` track.
pub type PlatformAdminOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	EitherOfDiverse<CouncilTwoThirds, origins::PlatformAdmin>,
>;

/// The final decision on an appealed dispute or a platform dispute (`Disputes::decide`).
///
/// Root, a council motion of more than half (appeals have a deadline, so a simple majority
/// decides), or a referendum on the `platform` track.
pub type AppealOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	EitherOfDiverse<CouncilMajority, origins::PlatformAdmin>,
>;

/// Cancelling an ongoing referendum (its deposits are returned): Root or a referendum on the
/// `cancel` track. Not the council: a referendum may be about the council itself (its
/// membership is changed by the `root` track), and the council must not be able to stop it.
/// Killing one (deposits slashed) is Root only.
pub type ReferendumCancelOrigin =
	EitherOfDiverse<EnsureRoot<AccountId>, origins::ReferendumCanceller>;

/// Who may change the council's prime member: Root or more than half of the council. Adding,
/// removing, swapping and resetting members is Root only (the `root` track).
pub type CouncilPrimeOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilMajority>;

parameter_types! {
	/// The most one council motion may spend from the treasury: 10 000 ENT.
	pub const CouncilSpendLimit: Balance = 10_000 * UNITS;
	/// The most one `platform` track referendum may spend from the treasury: 100 000 ENT.
	pub const PlatformTrackSpendLimit: Balance = 100_000 * UNITS;
	/// Root (the `root` track) may spend any amount.
	pub const RootSpendLimit: Balance = Balance::MAX;
}

/// Who may spend from the treasury, and how much at once (`Treasury::spend`, `spend_local`).
///
/// Root without limit, a council motion of at least three fifths up to [`CouncilSpendLimit`], a
/// `platform` track referendum up to [`PlatformTrackSpendLimit`].
pub type TreasurySpender = EitherOf<
	EnsureRootWithSuccess<AccountId, RootSpendLimit>,
	EitherOf<
		EnsureWithSuccess<CouncilThreeFifths, AccountId, CouncilSpendLimit>,
		EnsureWithSuccess<origins::PlatformAdmin, AccountId, PlatformTrackSpendLimit>,
	>,
>;

/// Who may void an approved treasury spend or remove an approval: Root or three fifths of the
/// council.
pub type TreasuryRejectOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilThreeFifths>;
