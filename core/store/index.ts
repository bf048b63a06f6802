export { writeFileAtomically, writeFileAtomicallySync } from './atomic-file';
export { defaultDataFolder, ensureDataFolder } from './data-folder';
export { OrgProfile, ProfileRegion, profileIdFor } from './org-profile';
export {
  createConfProfileStore,
  profileStoreOn,
  profileStoreOptions,
  PROFILE_STORE_VERSION,
  type ProfileBacking,
  type ProfileDocument,
  type ProfileStore,
} from './profile-store';
export {
  createMemorySecretStore,
  keychainServiceName,
  SECRET_SERVICE_NAME,
  type SecretStore,
} from './secret-store';
export { loadKeytarSecretStore, type KeytarLoadResult } from './keytar-secret-store';
export { openSecretStore, type OpenedSecretStore } from './open-secret-store';
export {
  createEncryptedFileSecretStore,
  CorruptSecretsFileError,
  type SecretCipher,
} from './encrypted-secrets-file';
