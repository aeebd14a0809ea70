// The mock in a project without Prism: it must say what to install.
import { startMockServer } from 'huawei-meeting-online-client/mock';

startMockServer().then(
  () => console.log('started'),
  (e) => console.log(e.message),
);
