//! The custom origins of Entrepot's referendum tracks (`Origins` in the runtime), after
//! Westend's `pallet_custom_origins`.
//!
//! A referendum dispatches its call from the origin of its track: `Root` for the `root` track,
//! [`Origin::PlatformAdmin`] for the `platform` track. [`PlatformAdmin`] checks for the latter.

pub use pallet_custom_origins::*;

#[frame_support::pallet]
pub mod pallet_custom_origins {
	use frame_support::pallet_prelude::*;

	/// This pallet needs nothing from the runtime.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origins a referendum may dispatch from, besides `Root`.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A referendum passed on the `platform` track: platform parameters (fee, policy
		/// bounds, dispute windows and deposits, arbiters, loyalty rates), validators, and
		/// bounded treasury spends.
		#[codec(index = 0)]
		PlatformAdmin,
	}

	/// Ensures the origin is [`Origin::PlatformAdmin`]: a referendum passed on the `platform`
	/// track.
	pub struct PlatformAdmin;
	impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for PlatformAdmin {
		type Success = ();

		fn try_origin(o: O) -> Result<Self::Success, O> {
			let origin: Result<Origin, O> = o.into();
			match origin {
				Ok(Origin::PlatformAdmin) => Ok(()),
				Err(o) => Err(o),
			}
		}

		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::PlatformAdmin))
		}
	}
}
