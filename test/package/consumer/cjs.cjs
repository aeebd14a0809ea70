// A consumer's CommonJS program, with the lazily loaded validation chunk.
const { createMeetingClient, MeetingClientError } = require('huawei-meeting-online-client');

const client = createMeetingClient({ baseUrl: process.env.URL, token: process.env.TOKEN, validateResponses: true });
client
  .listOngoingMeetings({ queryAll: true, limit: 5 })
  .then((page) => console.log(page.data.length, page.count, typeof MeetingClientError));
