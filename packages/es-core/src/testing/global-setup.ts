import { startContainers } from './containers-setup';

export default startContainers;
