// Kept equal to package.json by a unit test; used in the User-Agent.
export const CLIENT_NAME = 'huawei-meeting-online-client';
export const CLIENT_VERSION = '0.1.0';
